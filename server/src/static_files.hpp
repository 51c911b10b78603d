#pragma once

// Serving the web client's files: which file a request target names (never
// one outside the web root), its Content-Type, and the response headers that
// keep the browser from running anything but our own scripts.

#include <boost/beast/http/fields.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ruche::server {

// Content-Type for a file name, by extension (case-insensitive);
// "application/octet-stream" when the extension is unknown.
std::string_view mime_type(std::string_view path);

// Percent-decodes a path or one of its segments; nullopt on a malformed
// escape or a NUL byte. '+' stays '+' (it means space only in form bodies).
std::optional<std::string> percent_decode(std::string_view in);

// The regular file under `root` that a request target names, or nullopt.
// The query and fragment are ignored; the path is percent-decoded; "/" and
// directories map to their index.html. Refused: bad or NUL escapes,
// backslashes, any segment starting with a dot (".", ".." and hidden files
// such as .git), targets not starting with "/", and anything that resolves,
// through symlinks too, outside `root`. The result is canonical.
std::optional<std::filesystem::path> resolve_static(const std::filesystem::path& root,
                                                    std::string_view target);

// Whether a request target is part of the web client as published: its pages,
// scripts, styles, catalogs and icons. The client's directory also holds its
// tests, its npm files and its README, which are not for the public.
bool is_published(std::string_view target);

// Content-Security-Policy and companions for every response: only same-origin
// scripts, styles and connections, no framing, no camera or microphone.
void set_security_headers(boost::beast::http::fields& h);
// What a page may use besides, for Ruche's own origin: the phone's page the
// camera and the position, the board the position.
void allow_what_the_page_needs(boost::beast::http::fields& h, std::string_view file_name);

// Cache-Control for a static file.
std::string_view cache_control_for(std::string_view path);

}  // namespace ruche::server
