// The minutes in Markdown (CommonMark, with GitHub-style tables). Every text
// is escaped so that what people wrote reads as text: no emphasis, link, HTML,
// heading or list can come out of a note.

#include <string>
#include <string_view>

#include "minutes_document.hpp"
#include "minutes_text.hpp"

namespace ruche::protocol {
namespace {

using detail::block;
using detail::line;
using detail::run;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_punctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

// Where a piece of text goes: what could turn it into markup depends on it.
enum class place { line_start, inline_text, table_cell };

// True when the whole line is one character repeated (spaces allowed), as a
// thematic break ("---") or a setext heading underline ("===") would be.
bool only(std::string_view s, char c) {
    return s.find_first_not_of(std::string{c, ' '}) == std::string_view::npos &&
           s.find(c) != std::string_view::npos;
}

// What would start a block at the beginning of a line: "- ", "+ ", "* ",
// "# ", "> ", "1. ", "1) ", "---", "===".
std::size_t block_marker(std::string_view s) {
    if (s.empty()) return std::string_view::npos;
    const char c = s[0];
    const bool spaced = s.size() == 1 || s[1] == ' ';
    if ((c == '-' || c == '+' || c == '*') && spaced) return 0;
    if (c == '>') return 0;
    if (c == '#') {
        const auto hashes = s.find_first_not_of('#');
        if (hashes == std::string_view::npos || (hashes <= 6 && s[hashes] == ' ')) return 0;
    }
    if ((c == '-' || c == '=' || c == '_' || c == '*') && only(s, c)) return 0;
    std::size_t digits = 0;
    while (digits < s.size() && is_digit(s[digits])) ++digits;
    if (digits > 0 && digits < 10 && digits < s.size() && (s[digits] == '.' || s[digits] == ')') &&
        (digits + 1 == s.size() || s[digits + 1] == ' ')) {
        return digits;
    }
    return std::string_view::npos;
}

// One line of text (no '\n'), escaped only where CommonMark (with GitHub's
// tables and strikethrough) would read markup, so that the file reads as
// plain text too: "3 < 5", "a = b", "C'est super !" stay as typed.
std::string escape(std::string_view s, place where) {
    std::string out;
    out.reserve(s.size() + 8);
    const auto marker = where == place::line_start ? block_marker(s) : std::string_view::npos;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char next = i + 1 < s.size() ? s[i + 1] : '\0';
        const char prev = i > 0 ? s[i - 1] : ' ';
        if (i == marker) out += '\\';
        switch (c) {
            case '\\':  // a backslash escapes only the punctuation after it
                if (is_punctuation(next)) out += '\\';
                out += c;
                break;
            case '`':
            case '*':
            case '[':
                if (i != marker) out += '\\';
                out += c;
                break;
            case '_':  // inside a word it is no emphasis
                if (i != marker && !(is_alnum(prev) && is_alnum(next))) out += '\\';
                out += c;
                break;
            case '~':  // strikethrough needs text right after it
                if (next != ' ' && next != '\0') out += '\\';
                out += c;
                break;
            case '<':  // an HTML tag or an autolink: "<b", "</", "<!", "<?"
                if (is_alnum(next) || next == '/' || next == '!' || next == '?') out += '\\';
                out += c;
                break;
            case '|':
                if (where == place::table_cell) out += '\\';
                out += c;
                break;
            case '&': {  // only what could be read as an entity: "&amp;", "&#38;"
                std::size_t j = i + 1;
                if (j < s.size() && s[j] == '#') ++j;
                while (j < s.size() && is_alnum(s[j])) ++j;
                if (j > i + 1 && j < s.size() && s[j] == ';') out += '\\';
                out += c;
                break;
            }
            case '\t':
                out += ' ';
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Runs of one block. Lines inside a run end with a hard line break and the
// next line starts with `indent`, so a multiline note stays in its list item.
std::string inline_text(const line& runs, std::string_view indent, bool starts_line,
                        place where = place::inline_text) {
    std::string out;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const auto& piece = runs[r];
        const std::string_view mark = piece.look == run::style::strong     ? "**"
                                      : piece.look == run::style::emphasis ? "*"
                                                                           : "";
        out += mark;
        bool first = true;
        for (const auto l : detail::split_lines(piece.text)) {
            if (l.empty()) continue;  // a blank line would end the list item
            if (!first) {
                // A hard line break as two spaces: a trailing "\\" would show in the text.
                out += "  \n";
                out += indent;
            }
            out += escape(l, first && !(starts_line && r == 0) ? where : place::line_start);
            first = false;
        }
        out += mark;
    }
    return out;
}

class markdown_writer {
  public:
    std::string render(const detail::document& d) {
        for (const auto& b : d.blocks) {
            if (!out_.empty()) out_ += '\n';
            write(b);
        }
        return std::move(out_);
    }

  private:
    void write(const block& b) {
        switch (b.type) {
            case block::kind::title:
                out_ += "# " + inline_text(b.text, "", false) + "\n";
                break;
            case block::kind::heading:
                out_ += std::string(static_cast<std::size_t>(b.level) + 1, '#') + " " +
                        inline_text(b.text, "", false) + "\n";
                break;
            case block::kind::paragraph:
                out_ += inline_text(b.text, "", true) + "\n";
                break;
            case block::kind::quote:
                quote(b);
                break;
            case block::kind::numbered:
            case block::kind::bullets:
                list(b);
                break;
            case block::kind::table:
                table(b.grid);
                break;
            case block::kind::gallery:
                // Plain text carries no image: it says which ideas have one.
                for (const auto& p : b.pictures) out_ += inline_text({{p.alt, run::style::emphasis}}, "", true) + "\n";
                break;
            case block::kind::rule:
                out_ += "---\n";
                break;
        }
    }

    void quote(const block& b) {
        // Paragraphs of the synthesis are separated by an empty quoted line.
        for (const auto& piece : b.text) {
            std::string paragraph;
            bool first = true;
            for (const auto l : detail::split_lines(piece.text)) {
                if (l.empty()) {
                    if (!paragraph.empty()) out_ += paragraph + "\n>\n";
                    paragraph.clear();
                    first = true;
                    continue;
                }
                paragraph += first ? "> " : "  \n> ";
                paragraph += escape(l, place::line_start);
                first = false;
            }
            if (!paragraph.empty()) out_ += paragraph + "\n";
        }
    }

    void list(const block& b) {
        std::size_t number = 0;
        for (const auto& item : b.items) {
            const std::string marker =
                b.type == block::kind::numbered ? std::to_string(++number) + ". " : "- ";
            const std::string indent(marker.size(), ' ');
            out_ += marker + inline_text(item.text, indent, true) + "\n";
            for (const auto& detail : item.details) {
                out_ += indent + "- " + inline_text(detail, indent + "  ", true) + "\n";
            }
        }
    }

    void table(const detail::table& t) {
        const auto row = [&](const std::vector<std::string>& cells) {
            out_ += "|";
            for (const auto& c : cells) out_ += " " + c + " |";
            out_ += "\n";
        };
        std::vector<std::string> cells;
        for (const auto& h : t.header) cells.push_back(escape(h, place::table_cell));
        row(cells);
        cells.clear();
        for (std::size_t i = 0; i < t.header.size(); ++i) {
            cells.push_back(i < t.numeric.size() && t.numeric[i] ? "--:" : ":--");
        }
        row(cells);
        for (const auto& r : t.rows) {
            cells.clear();
            for (const auto& c : r) {
                cells.push_back(inline_text(c, " ", false, place::table_cell));
            }
            row(cells);
        }
    }

    std::string out_;
};

}  // namespace

std::string minutes_markdown(const minutes& m, const minutes_options& options) {
    return markdown_writer().render(detail::lay_out(m, options));
}

}  // namespace ruche::protocol
