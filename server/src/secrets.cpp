#include "secrets.hpp"

#include <openssl/evp.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>

namespace ruche::server {

namespace {

// Fills `size` bytes at `out` from the kernel. getrandom blocks until the pool
// is initialised (only ever at early boot), may be interrupted by a signal and
// may return fewer bytes than asked, so loop until everything is filled.
void fill_random(unsigned char* out, std::size_t size) noexcept {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t got = ::getrandom(out + done, size - done, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            std::abort();  // see secrets.hpp: no safe fallback exists
        }
        done += static_cast<std::size_t>(got);
    }
}

// Draws `count` symbols uniformly from `alphabet` (at most 256 symbols).
// A byte is used only when it falls below the largest multiple of the
// alphabet size; taking every byte modulo the size would favour the first
// symbols.
std::string random_symbols(std::string_view alphabet, std::size_t count) {
    const std::size_t limit = 256 - 256 % alphabet.size();
    std::string result;
    result.reserve(count);
    std::array<unsigned char, 64> pool{};
    std::size_t next = pool.size();
    while (result.size() < count) {
        if (next == pool.size()) {
            fill_random(pool.data(), pool.size());
            next = 0;
        }
        const std::size_t byte = pool[next++];
        if (byte < limit) result.push_back(alphabet[byte % alphabet.size()]);
    }
    return result;
}

std::string group_join_code(std::string_view symbols) {
    std::string grouped;
    grouped.reserve(symbols.size() + symbols.size() / join_code_group);
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        if (i != 0 && i % join_code_group == 0) grouped.push_back('-');
        grouped.push_back(symbols[i]);
    }
    return grouped;
}

constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Base64url without padding; a tail of one or two bytes gives two or three
// symbols.
std::string base64url(const unsigned char* bytes, std::size_t size) {
    std::string out;
    out.reserve((size * 4 + 2) / 3);
    for (std::size_t i = 0; i < size; i += 3) {
        const std::size_t n = std::min<std::size_t>(3, size - i);
        unsigned triple = unsigned{bytes[i]} << 16;
        if (n > 1) triple |= unsigned{bytes[i + 1]} << 8;
        if (n > 2) triple |= unsigned{bytes[i + 2]};
        for (std::size_t k = 0; k <= n; ++k) {
            out.push_back(base64url_alphabet[(triple >> (18 - 6 * k)) & 0x3fu]);
        }
    }
    return out;
}

}  // namespace

std::string random_token() {
    // A multiple of 3 bytes encodes to whole base64 quads: 32 symbols.
    std::array<unsigned char, 24> bytes{};
    fill_random(bytes.data(), bytes.size());
    return base64url(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    // Fails only when OpenSSL cannot allocate a few bytes. Returning
    // something would store or match a digest that is not the token's.
    if (EVP_Digest(token.data(), token.size(), md.data(), &size, EVP_sha256(), nullptr) != 1) {
        std::abort();
    }
    return base64url(md.data(), size);
}

std::string random_session_id() {
    return random_symbols(session_id_alphabet, session_id_length);
}

std::string random_join_code() {
    return group_join_code(random_symbols(join_code_alphabet, join_code_symbols));
}

std::optional<std::string> normalize_join_code(std::string_view typed) {
    std::string symbols;
    symbols.reserve(join_code_symbols);
    for (char c : typed) {
        if (c == ' ' || c == '\t' || c == '-' || c == '.') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (join_code_alphabet.find(c) == std::string_view::npos) return std::nullopt;
        if (symbols.size() == join_code_symbols) return std::nullopt;  // too long
        symbols.push_back(c);
    }
    if (symbols.size() != join_code_symbols) return std::nullopt;
    return group_join_code(symbols);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    // Accumulate every difference instead of stopping at the first one; the
    // volatile keeps the compiler from turning the loop into an early exit.
    volatile unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = static_cast<unsigned char>(
            diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    }
    return diff == 0;
}

}  // namespace ruche::server
