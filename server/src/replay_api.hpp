#pragma once

// After the meeting: the session's state at any point, its timeline, its
// minutes in several formats, and export/import. Facilitator only (checked by
// the caller), except import which creates a new session.

#include "api.hpp"

namespace ruche::server {

http_response session_state_at(app& a, const http_request& request, const std::string& session_id);
http_response session_timeline(app& a, const http_request& request, const std::string& session_id);
http_response session_minutes(app& a, const http_request& request, const std::string& session_id,
                              std::string_view format);
http_response import_session(app& a, const http_request& request);

// The largest request body accepted by POST /api/sessions/import.
inline constexpr std::size_t import_body_max = 32u << 20;

}  // namespace ruche::server
