#include "file_name.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ruche::server {
namespace {

// Latin letters with diacritics as written in French (and a few neighbours),
// by their UTF-8 bytes, with what is left once the accent is taken off.
constexpr std::array<std::pair<std::string_view, std::string_view>, 40> unaccented = {{
    {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"á", "a"}, {"ã", "a"}, {"å", "a"}, {"ç", "c"},
    {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"î", "i"}, {"ï", "i"}, {"í", "i"},
    {"ì", "i"}, {"ô", "o"}, {"ö", "o"}, {"ó", "o"}, {"ò", "o"}, {"õ", "o"}, {"ù", "u"},
    {"û", "u"}, {"ü", "u"}, {"ú", "u"}, {"ÿ", "y"}, {"ñ", "n"}, {"œ", "oe"}, {"æ", "ae"},
    {"ß", "ss"}, {"À", "a"}, {"Â", "a"}, {"Ç", "c"}, {"É", "e"}, {"È", "e"}, {"Ê", "e"},
    {"Î", "i"}, {"Ô", "o"}, {"Û", "u"}, {"Œ", "oe"}, {"Æ", "ae"},
}};

bool ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Adds a piece, or a single dash between pieces; never beyond `max_chars`.
class slug_builder {
  public:
    explicit slug_builder(std::size_t max_chars) : max_(max_chars) {}
    // Whole words only; a first word longer than the limit is cut, at a
    // character boundary.
    void piece(std::string_view s) {
        if (full_) return;
        if (dash_ && !out_.empty()) {
            if (out_.size() + 1 + s.size() > max_) {
                full_ = true;
                return;
            }
            out_ += '-';
        }
        dash_ = false;
        if (out_.size() + s.size() > max_) {
            std::size_t end = max_ - out_.size();
            while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
            out_ += s.substr(0, end);
            full_ = true;
            return;
        }
        out_ += s;
    }
    void gap() { dash_ = true; }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
    std::size_t max_;
    bool dash_ = false;
    bool full_ = false;
};

std::size_t utf8_sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

// Words of letters and digits, lower-cased where ASCII; `ascii` also takes
// accents off and drops what has no ASCII form. Anything else separates words.
std::string slug(std::string_view text, std::size_t max_chars, bool ascii) {
    slug_builder out(max_chars);
    std::string word;
    const auto end_word = [&] {
        if (!word.empty()) out.piece(word);
        word.clear();
        out.gap();
    };
    for (std::size_t i = 0; i < text.size();) {
        if (ascii_alnum(text[i])) {
            word += lower(text[i++]);
            continue;
        }
        const auto n = std::min(utf8_sequence_length(static_cast<unsigned char>(text[i])),
                                text.size() - i);
        if (n > 1 && !ascii) {
            word.append(text.substr(i, n));
            i += n;
            continue;
        }
        const auto plain = ascii ? std::find_if(unaccented.begin(), unaccented.end(),
                                                [&](const auto& pair) {
                                                    return text.substr(i, pair.first.size()) ==
                                                           pair.first;
                                                })
                                 : unaccented.end();
        if (plain != unaccented.end()) {
            word += plain->second;
            i += plain->first.size();
            continue;
        }
        end_word();  // spaces, punctuation, "/", control characters, other scripts
        i += n;
    }
    end_word();
    return out.take();
}

}  // namespace

std::string ascii_slug(std::string_view text, std::size_t max_chars) {
    return slug(text, max_chars, true);
}

std::string utf8_slug(std::string_view text, std::size_t max_chars) {
    return slug(text, max_chars, false);
}

std::string content_disposition(std::string_view ascii_name, std::string_view utf8_name) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char ch : utf8_name) {
        const auto c = static_cast<unsigned char>(ch);
        // RFC 5987 attr-char: letters, digits and !#$&+-.^_`|~ go as they are.
        const bool plain = ascii_alnum(ch) || std::string_view("!#$&+-.^_`|~").find(ch) !=
                                                  std::string_view::npos;
        if (plain) {
            encoded += ch;
        } else {
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 0xF];
        }
    }
    std::string quoted;
    for (const char c : ascii_name) {
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
            static_cast<unsigned char>(c) >= 0x7F) {
            quoted += '_';
        } else {
            quoted += c;
        }
    }
    return "attachment; filename=\"" + quoted + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace ruche::server
