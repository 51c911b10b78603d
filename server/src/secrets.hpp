#pragma once

// Secrets and identifiers that must not be guessable: access tokens, session
// ids and the join codes people read off the projector. Every byte comes from
// the kernel's cryptographic generator (getrandom), never from a seeded PRNG.
//
// If the kernel cannot give random bytes the process aborts: there is no safe
// fallback for a secret, and a predictable token would be worse than a crash.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ruche::server {

// Symbols of a join code: digits and capitals without 0/O and 1/I/L, which
// people confuse when reading a projector or typing on a phone.
inline constexpr std::string_view join_code_alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
// 9 symbols of 31: log2(31^9) ≈ 44.6 bits.
inline constexpr std::size_t join_code_symbols = 9;
// Symbols per group in the canonical form "K7M-PQ3-XRT".
inline constexpr std::size_t join_code_group = 3;

// 192 random bits as base64url without padding (32 characters of
// [A-Za-z0-9_-]); safe in URLs, cookies and JSON without escaping.
std::string random_token();

// What is stored of a token: its SHA-256, as base64url (43 symbols). A copy
// of the database (a backup, a stolen disk) then holds no token that opens a
// session. A token is 192 random bits, so no salt or slow hash is needed: no
// one can search for a token by its digest. Lookups go by digest, so they
// reveal nothing usable through timing either.
std::string token_digest(std::string_view token);

// Session ids: the op log's format (storage::is_valid_session_id), restated
// here so that this file does not depend on storage.
inline constexpr std::size_t session_id_length = 16;
inline constexpr std::string_view session_id_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

// Exactly `session_id_length` characters of [a-z0-9], uniformly distributed.
std::string random_session_id();

// A fresh join code in canonical form, e.g. "K7M-PQ3-XRT".
std::string random_join_code();

// What someone typed (any case, with spaces, dashes or dots anywhere) turned
// into the canonical form, or nullopt when a character is outside the alphabet
// or the number of symbols is wrong. Look-alikes such as O or 1 are rejected,
// not guessed: they never occur in a code.
std::optional<std::string> normalize_join_code(std::string_view typed);

// Compares two secrets in time that depends on their length only, not on
// where they first differ. Lengths are not secret (tokens have a fixed size).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace ruche::server
