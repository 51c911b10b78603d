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

// One line of text (no '\n'). `line_start`: it begins a line of the output,
// where "- ", "+ ", "1. ", "= " would start a list or a heading.
std::string escape(std::string_view s, bool line_start) {
    std::string out;
    out.reserve(s.size() + 8);
    std::size_t i = 0;
    if (line_start) {
        if (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == '=')) {
            out += '\\';
        } else {
            std::size_t digits = 0;
            while (digits < s.size() && is_digit(s[digits])) ++digits;
            if (digits > 0 && digits < s.size() && (s[digits] == '.' || s[digits] == ')')) {
                out.append(s.substr(0, digits));
                out += '\\';
                i = digits;
            }
        }
    }
    for (; i < s.size(); ++i) {
        const char c = s[i];
        switch (c) {
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '<':
            case '>':
            case '|':
            case '~':
            case '#':
                out += '\\';
                out += c;
                break;
            case '&':  // only where it could start an entity
                if (i + 1 < s.size() && (is_alnum(s[i + 1]) || s[i + 1] == '#')) out += '\\';
                out += c;
                break;
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
std::string inline_text(const line& runs, std::string_view indent, bool starts_line) {
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
                out += "\\\n";
                out += indent;
            }
            out += escape(l, first ? (starts_line && r == 0) : true);
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
                paragraph += first ? "> " : "\\\n> ";
                paragraph += escape(l, true);
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
        for (const auto& h : t.header) cells.push_back(escape(h, false));
        row(cells);
        cells.clear();
        for (std::size_t i = 0; i < t.header.size(); ++i) {
            cells.push_back(i < t.numeric.size() && t.numeric[i] ? "--:" : ":--");
        }
        row(cells);
        for (const auto& r : t.rows) {
            cells.clear();
            for (const auto& c : r) cells.push_back(inline_text(c, " ", false));
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
