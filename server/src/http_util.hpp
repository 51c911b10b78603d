#pragma once

// Building HTTP responses the same way everywhere: security headers, JSON.

#include <nlohmann/json.hpp>

#include "api.hpp"
#include "registry.hpp"

namespace ruche::server {

http_response make_response(const http_request& request, boost::beast::http::status status,
                            std::string_view content_type, std::string body);
http_response json_response(const http_request& request, boost::beast::http::status status,
                            const nlohmann::json& body);
inline http_response json_ok(const http_request& request, const nlohmann::json& body) {
    return json_response(request, boost::beast::http::status::ok, body);
}
// 201 with the new session's id, secrets and links.
http_response created_response(const app& a, const http_request& request,
                               const created_session& created);

}  // namespace ruche::server
