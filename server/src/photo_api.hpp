#pragma once

// Photos of a session over HTTP: a participant (or a facilitator) uploads
// one, with their token, and gets its id to attach to a note; whoever may
// see it gets it back, re-encoded, or its thumbnail. See protocol/README.md,
// "Photos".

#include <string_view>

#include "api.hpp"
#include "photo_codec.hpp"

namespace ruche::server {

// Whether a request's method and target are an upload (POST
// /api/sessions/{id}/photos): decided from the header, before the body is
// read, which is then held to photo_upload_max.
bool is_photo_upload(boost::beast::http::verb method, std::string_view target);

// POST /api/sessions/{id}/photos (body: the image bytes).
http_response upload_photo(app& a, const http_request& request, const std::string& remote,
                           const std::string& session_id);
// Who sent a photo, from its stored description ("" a facilitator).
std::string photo_uploader(std::string_view description);

// GET /api/sessions/{id}/photos/{photo} and .../{photo}/thumb.
http_response serve_photo(app& a, const http_request& request, const std::string& remote,
                          const std::string& session_id, const std::string& photo_id, bool thumb);

}  // namespace ruche::server
