#pragma once

// Internal to the minutes: the layout shared by the Markdown, HTML and
// OpenDocument renderers. `lay_out` decides what the minutes say and in which
// order, in the chosen language; each renderer only decides how a heading, a
// list or a table is written in its format, and escapes every text.

#include <string>
#include <vector>

#include "ruche/minutes/minutes.hpp"

namespace ruche::protocol::detail {

// A piece of text. It may hold line breaks ('\n') when it comes from a
// multiline text of the board (a note, a question, a synthesis).
struct run {
    enum class style { plain, strong, emphasis };
    std::string text;
    style look = style::plain;
};
using line = std::vector<run>;

struct list_item {
    line text;
    std::vector<line> details;  // a bulleted sub-list (other wordings)
};

// A photo in the minutes: its thumbnail, a caption (the note's text) and its
// name inside an OpenDocument package.
struct picture {
    const minutes_picture* image = nullptr;
    std::string caption;
    std::string alt;   // what the image is, for those who cannot see it
    std::string name;  // "Pictures/<id>.jpg"
};

struct table {
    std::vector<std::string> header;
    std::vector<bool> numeric;  // per column: right-aligned numbers
    std::vector<std::vector<line>> rows;
};

// What a block is for, so HTML and ODT can style it.
enum class block_role { none, subtitle, question, summary, people, theme_views, intro, footer };

struct block {
    enum class kind {
        title,      // the document's title (once)
        heading,    // level 1: sections, level 2: themes
        paragraph,  // may contain several lines
        quote,      // the facilitator's synthesis: paragraphs separated by blank lines
        numbered,   // ordered list
        bullets,    // unordered list
        table,
        gallery,  // photos with their captions
        rule,     // a separator before the footer
    };
    kind type = kind::paragraph;
    int level = 1;
    block_role purpose = block_role::none;
    line text;                     // title, heading, paragraph, quote
    std::vector<list_item> items;  // numbered, bullets
    detail::table grid;            // table
    std::vector<picture> pictures;  // gallery
};

struct document {
    std::string lang;
    std::string title;    // for <title> and the metadata: "Compte-rendu — <title>"
    std::string subject;  // the session's question
    std::vector<block> blocks;
};

document lay_out(const minutes& m, const minutes_options& options);

}  // namespace ruche::protocol::detail
