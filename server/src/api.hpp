#pragma once

// The HTTP side of the server: JSON API, QR codes, health, metrics and the
// static files of the web client.

#include <boost/beast/http.hpp>
#include <string>

namespace ruche::server {

struct app;

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

http_response handle_request(app& a, const http_request& request, const std::string& remote);

// An error in the API's shape: {"error":{"code":...,"message":...}}.
http_response json_error(const http_request& request, boost::beast::http::status status,
                         std::string_view code, std::string_view message);

// Plain HTTP on a TLS port: 308 to the same host, port and target over
// HTTPS (a method and its body are kept by a 308, unlike a 301).
http_response https_redirect(const app& a, const http_request& request);

// Whether a request naming `host` (its Host header) is for this server: an
// address, localhost, the public URL's host or an allowed origin's. Any other
// name may be one an attacker pointed at this server (DNS rebinding), so that
// its pages would count as same-origin here.
bool host_allowed(const app& a, std::string_view host);

// Whether a browser page from `origin` may open a WebSocket on this server
// reached as `host`: same host, the public URL's origin, or an allowed origin.
bool origin_allowed(const app& a, std::string_view origin, std::string_view host);

}  // namespace ruche::server
