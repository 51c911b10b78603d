// The minutes as one standalone HTML5 page: no script, no external resource,
// an inline stylesheet whose print rules make "print to PDF" a clean A4
// document. Every text is escaped.

#include <algorithm>
#include <string>
#include <string_view>

#include "minutes_document.hpp"
#include "minutes_text.hpp"
#include "ruche/minutes/xml_text.hpp"

namespace ruche::protocol {
namespace {

using detail::block;
using detail::block_role;
using detail::line;
using detail::run;

constexpr std::string_view stylesheet = R"(:root { color-scheme: light; }
body {
  margin: 2rem auto; padding: 0 1.25rem; max-width: 46rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
  font-size: 1rem; line-height: 1.5; color: #1b1b1b; background: #fff;
}
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 3px solid #d99a00; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
p { margin: .4rem 0; }
.subtitle { margin-top: 0; color: #4a4a4a; font-size: 1.1rem; }
.question { font-size: 1.15rem; }
ul.summary { list-style: none; padding: .6rem 1rem; background: #f6f3ea; border-radius: .4rem; }
ul.summary li { margin: .15rem 0; }
.theme_views, .intro { color: #3d3d3d; }
blockquote { margin: .5rem 0 .8rem; padding: .4rem .9rem; border-left: 4px solid #d99a00; background: #fdf8e8; }
blockquote p { margin: .3rem 0; }
ol, ul { padding-left: 1.6rem; }
li { margin: .25rem 0; }
li ul { padding-left: 1.1rem; color: #3d3d3d; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 18rem; }
th, td { border: 1px solid #b5b5b5; padding: .3rem .7rem; text-align: left; vertical-align: top; }
thead th { background: #f0ede4; }
tbody th { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery { display: flex; flex-wrap: wrap; gap: .8rem; margin: .5rem 0 1rem; }
figure { margin: 0; max-width: 12rem; }
figure img { display: block; max-width: 100%; height: auto; border-radius: .3rem; }
figcaption { font-size: .9rem; color: #3d3d3d; margin-top: .2rem; }
footer { margin-top: 2.5rem; padding-top: .5rem; border-top: 1px solid #b5b5b5; color: #4a4a4a; font-size: .9rem; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 11pt; color: #000; }
  h1 { font-size: 20pt; }
  h2 { font-size: 15pt; margin-top: 14pt; }
  h3 { font-size: 12.5pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, tr, blockquote, figure { break-inside: avoid; page-break-inside: avoid; }
  ul.summary, blockquote, thead th { background: none; }
  ul.summary { padding: 0; }
  footer { color: #000; }
}
)";

// Line breaks inside a text become <br>.
std::string inline_text(const line& runs) {
    std::string out;
    for (const auto& piece : runs) {
        const std::string_view tag = piece.look == run::style::strong     ? "strong"
                                     : piece.look == run::style::emphasis ? "em"
                                                                          : "";
        if (!tag.empty()) out += "<" + std::string(tag) + ">";
        bool first = true;
        for (const auto l : detail::split_lines(piece.text)) {
            if (!first) out += "<br>\n";
            out += xml_text(l);
            first = false;
        }
        if (!tag.empty()) out += "</" + std::string(tag) + ">";
    }
    return out;
}

std::string class_of(block_role r) {
    switch (r) {
        case block_role::subtitle:
            return " class=\"subtitle\"";
        case block_role::question:
            return " class=\"question\"";
        case block_role::summary:
            return " class=\"summary\"";
        case block_role::people:
            return " class=\"people\"";
        case block_role::theme_views:
            return " class=\"theme_views\"";
        case block_role::intro:
            return " class=\"intro\"";
        case block_role::footer:
        case block_role::none:
            break;
    }
    return {};
}

// Only letters, digits and '-' may reach the lang attribute.
std::string language_tag(std::string_view lang) {
    std::string out;
    for (const char c : lang) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (ok) out += c;
    }
    return out.empty() ? std::string("fr") : out;
}

class html_writer {
  public:
    std::string render(const detail::document& d) {
        out_ = "<!DOCTYPE html>\n<html lang=\"" + language_tag(d.lang) + "\">\n<head>\n";
        out_ += "<meta charset=\"utf-8\">\n";
        out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
        out_ += "<meta name=\"generator\" content=\"Ruche\">\n";
        if (!d.subject.empty()) {
            std::string description = d.subject;
            std::replace(description.begin(), description.end(), '\n', ' ');
            out_ += "<meta name=\"description\" content=\"" + xml_text(description, quotes::escaped) + "\">\n";
        }
        out_ += "<title>" + xml_text(d.title) + "</title>\n";
        out_ += "<style>\n" + std::string(stylesheet) + "</style>\n</head>\n<body>\n<main>\n";
        bool in_footer = false;
        for (const auto& b : d.blocks) {
            if (b.type == block::kind::rule) {
                out_ += "</main>\n<footer>\n";
                in_footer = true;
                continue;
            }
            write(b);
        }
        out_ += in_footer ? "</footer>\n" : "</main>\n";
        out_ += "</body>\n</html>\n";
        return std::move(out_);
    }

  private:
    void write(const block& b) {
        switch (b.type) {
            case block::kind::title:
                out_ += "<h1>" + inline_text(b.text) + "</h1>\n";
                break;
            case block::kind::heading: {
                const std::string tag = b.level <= 1 ? "h2" : "h3";
                out_ += "<" + tag + ">" + inline_text(b.text) + "</" + tag + ">\n";
                break;
            }
            case block::kind::paragraph:
                out_ += "<p" + class_of(b.purpose) + ">" + inline_text(b.text) + "</p>\n";
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
                gallery(b);
                break;
            case block::kind::rule:
                break;
        }
    }

    // The page stays one file: each thumbnail is inside it, as a data: URL.
    void gallery(const block& b) {
        out_ += "<div class=\"gallery\">\n";
        for (const auto& p : b.pictures) {
            out_ += "<figure><img src=\"data:image/jpeg;base64," + detail::base64(p.image->jpeg) + "\" width=\"" +
                    std::to_string(p.image->width) + "\" height=\"" + std::to_string(p.image->height) +
                    "\" alt=\"" + xml_text(p.alt, quotes::escaped) + "\"><figcaption>" + xml_text(p.caption) +
                    "</figcaption></figure>\n";
        }
        out_ += "</div>\n";
    }

    void quote(const block& b) {
        out_ += "<blockquote>\n";
        for (const auto& piece : b.text) {
            std::string paragraph;
            for (const auto l : detail::split_lines(piece.text)) {
                if (l.empty()) {
                    if (!paragraph.empty()) out_ += "<p>" + paragraph + "</p>\n";
                    paragraph.clear();
                    continue;
                }
                if (!paragraph.empty()) paragraph += "<br>\n";
                paragraph += xml_text(l);
            }
            if (!paragraph.empty()) out_ += "<p>" + paragraph + "</p>\n";
        }
        out_ += "</blockquote>\n";
    }

    void list(const block& b) {
        const std::string tag = b.type == block::kind::numbered ? "ol" : "ul";
        out_ += "<" + tag + class_of(b.purpose) + ">\n";
        for (const auto& item : b.items) {
            out_ += "<li>" + inline_text(item.text);
            if (!item.details.empty()) {
                out_ += "\n<ul>\n";
                for (const auto& detail : item.details)
                    out_ += "<li>" + inline_text(detail) + "</li>\n";
                out_ += "</ul>\n";
            }
            out_ += "</li>\n";
        }
        out_ += "</" + tag + ">\n";
    }

    void table(const detail::table& t) {
        const auto numeric = [&](std::size_t i) { return i < t.numeric.size() && t.numeric[i]; };
        out_ += "<table>\n<thead>\n<tr>";
        for (std::size_t i = 0; i < t.header.size(); ++i) {
            out_ += std::string("<th scope=\"col\"") + (numeric(i) ? " class=\"num\"" : "") + ">" +
                    xml_text(t.header[i]) + "</th>";
        }
        out_ += "</tr>\n</thead>\n<tbody>\n";
        for (const auto& r : t.rows) {
            out_ += "<tr>";
            for (std::size_t i = 0; i < r.size(); ++i) {
                // The first cell names the row.
                const std::string tag = i == 0 ? "th" : "td";
                out_ += "<" + tag + (i == 0 ? " scope=\"row\"" : "") +
                        (numeric(i) ? " class=\"num\"" : "") + ">" + inline_text(r[i]) + "</" +
                        tag + ">";
            }
            out_ += "</tr>\n";
        }
        out_ += "</tbody>\n</table>\n";
    }

    std::string out_;
};

}  // namespace

std::string minutes_html(const minutes& m, const minutes_options& options) {
    return html_writer().render(detail::lay_out(m, options));
}

}  // namespace ruche::protocol
