// Photos over HTTP: upload (re-encoded before anything is stored) and
// serving to those who may see them. Runs on the blocking pool.

#include "photo_api.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app.hpp"
#include "http_util.hpp"
#include "room.hpp"
#include "secrets.hpp"

namespace ruche::server {

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

// Who is asking, proven by the Authorization header: a facilitator of the
// session (its token), or one of its participants (their token from the
// welcome).
struct asker {
    bool facilitator = false;
    std::string participant;  // empty for a facilitator
};

std::optional<std::string> bearer(const http_request& request) {
    const std::string_view auth = request[http::field::authorization];
    constexpr std::string_view prefix = "Bearer ";
    if (!auth.starts_with(prefix) || auth.size() == prefix.size()) return std::nullopt;
    return std::string(auth.substr(prefix.size()));
}

http_response invalid_token(app& a, const http_request& request, const std::string& remote,
                            bool had_token) {
    // Wrong tokens count as guesses, with wrong join codes and facilitator tokens.
    const auto now = std::chrono::steady_clock::now();
    if (had_token) {
        const bool blocked = a.join_attempts.blocked(remote, now);
        a.join_attempts.record_failure(remote, now);
        if (blocked) {
            auto res = json_error(request, http::status::too_many_requests, "too_many_attempts",
                                  "too many wrong tokens, wait a minute");
            res.set(http::field::retry_after, "60");
            return res;
        }
    }
    auto res = json_error(request, http::status::unauthorized, "invalid_token",
                          "a participant's or the facilitator's token of this session is required");
    res.set(http::field::www_authenticate, "Bearer");
    return res;
}

// The room and who asks, or the response that says why not.
struct checked {
    std::shared_ptr<room> r;
    asker who;
    std::optional<http_response> refusal;
};

checked check_asker(app& a, const http_request& request, const std::string& remote,
                    const std::string& session_id) {
    checked out;
    const auto token = bearer(request);
    if (!token) {
        out.refusal = invalid_token(a, request, remote, false);
        return out;
    }
    std::error_code ec;
    out.r = a.rooms.room_for(session_id, ec);
    if (!out.r) {
        out.refusal = ec ? json_error(request, http::status::service_unavailable, "storage_unavailable",
                                      "the session could not be loaded")
                         : json_error(request, http::status::not_found, "unknown_session",
                                      "no such session");
        return out;
    }
    const auto session = a.rooms.session_by_facilitator_token(*token);
    if (session && constant_time_equal(*session, session_id)) {
        out.who.facilitator = true;
        return out;
    }
    if (auto participant = out.r->participant_by_token(*token)) {
        out.who.participant = std::move(*participant);
        return out;
    }
    out.refusal = invalid_token(a, request, remote, true);
    return out;
}

http_response storage_unavailable(const http_request& request, std::string_view what) {
    return json_error(request, http::status::service_unavailable, "storage_unavailable", what);
}

}  // namespace

std::string photo_uploader(std::string_view description) {
    const json described = json::parse(description, nullptr, false);
    if (!described.is_object()) return {};
    const auto by = described.find("by");
    return by != described.end() && by->is_string() ? by->get<std::string>() : std::string();
}

bool is_photo_upload(http::verb method, std::string_view target) {
    if (method != http::verb::post) return false;
    target = target.substr(0, target.find('?'));
    constexpr std::string_view prefix = "/api/sessions/";
    constexpr std::string_view suffix = "/photos";
    if (!target.starts_with(prefix) || !target.ends_with(suffix)) return false;
    const auto id = target.substr(prefix.size(), target.size() - prefix.size() - suffix.size());
    return !id.empty() && id.find('/') == std::string_view::npos;
}

http_response upload_photo(app& a, const http_request& request, const std::string& remote,
                           const std::string& session_id) {
    auto asked = check_asker(a, request, remote, session_id);
    if (asked.refusal) return std::move(*asked.refusal);
    if (request.body().size() > photo_upload_max) {
        return json_error(request, http::status::payload_too_large, "too_large",
                          "a photo may be at most 3 MB");
    }
    auto result = reencode_photo(request.body());
    if (const auto* failure = std::get_if<photo_failure>(&result)) {
        switch (*failure) {
            case photo_failure::not_an_image:
                return json_error(request, http::status::unsupported_media_type, "not_an_image",
                                  "the body must be a JPEG, PNG or WebP image");
            case photo_failure::too_many_pixels:
                return json_error(request, http::status::payload_too_large, "too_many_pixels",
                                  "the image may have at most 40 megapixels");
            case photo_failure::undecodable:
                return json_error(request, http::status::bad_request, "not_an_image",
                                  "the image cannot be decoded");
            case photo_failure::encode_failed:
                break;
        }
        return json_error(request, http::status::internal_server_error, "photo_failed",
                          "the photo could not be processed");
    }
    auto& encoded = std::get<encoded_photo>(result);
    const auto id = random_session_id();
    storage::photo stored;
    stored.meta = json{{"by", asked.who.participant}, {"width", encoded.width}, {"height", encoded.height}}.dump();
    stored.full = std::move(encoded.full);
    stored.thumb = std::move(encoded.thumb);
    if (const auto ec = a.logs.log().put_photo(session_id, id, stored)) {
        spdlog::error("cannot store a photo of session {}: {}", session_id, ec.message());
        return storage_unavailable(request, "the photo could not be saved, try again");
    }
    // The session was deleted while the photo was being made: its deletion
    // may have missed it, so it goes now.
    if (asked.r->retired()) {
        if (const auto ec = a.logs.log().delete_photo(session_id, id)) {
            spdlog::error("cannot delete a photo of deleted session {}: {}", session_id, ec.message());
        }
        return json_error(request, http::status::not_found, "unknown_session", "no such session");
    }
    // Before the answer: an op attaching it, sent once the answer is read,
    // finds it in the room.
    asked.r->photo_added(id, asked.who.participant);
    return json_response(request, http::status::created,
                         {{"photo", id}, {"width", encoded.width}, {"height", encoded.height}});
}

http_response serve_photo(app& a, const http_request& request, const std::string& remote,
                          const std::string& session_id, const std::string& photo_id, bool thumb) {
    auto asked = check_asker(a, request, remote, session_id);
    if (asked.refusal) return std::move(*asked.refusal);
    const auto not_found = [&] {
        return json_error(request, http::status::not_found, "unknown_photo", "no such photo");
    };
    if (!storage::is_valid_photo_id(photo_id)) return not_found();
    auto& log = a.logs.log();
    std::optional<std::string> meta;
    if (log.get_photo(session_id, photo_id, storage::photo_part::meta, meta)) {
        return storage_unavailable(request, "the photo could not be read");
    }
    if (!meta) return not_found();
    const auto by = photo_uploader(*meta);
    if (!asked.r->may_see_photo(asked.who.participant, asked.who.facilitator, photo_id, by)) {
        return json_error(request, http::status::forbidden, "not_allowed",
                          "this photo is not yours to see");
    }
    const std::string etag = "\"" + photo_id + (thumb ? "-t" : "-f") + "\"";
    const auto cache = [&](http_response& res) {
        // Private: behind a token. An hour: a photo hidden later should not
        // stay long in a browser's cache.
        res.set(http::field::cache_control, "private, max-age=3600");
        res.set(http::field::etag, etag);
    };
    if (request[http::field::if_none_match] == etag) {
        auto res = make_response(request, http::status::not_modified, "image/jpeg", {});
        cache(res);
        return res;
    }
    std::optional<std::string> bytes;
    if (log.get_photo(session_id, photo_id, thumb ? storage::photo_part::thumb : storage::photo_part::full,
                      bytes)) {
        return storage_unavailable(request, "the photo could not be read");
    }
    if (!bytes) return not_found();
    auto res = make_response(request, http::status::ok, "image/jpeg", std::move(*bytes));
    cache(res);
    if (request.method() == http::verb::head) {
        const auto size = res.body().size();
        res.body().clear();
        res.content_length(size);
    }
    return res;
}

}  // namespace ruche::server
