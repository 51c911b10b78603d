#include "api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <sstream>

#include "app.hpp"
#include "http_util.hpp"
#include "metrics.hpp"
#include "photo_api.hpp"
#include "qr_svg.hpp"
#include "replay_api.hpp"
#include "room.hpp"
#include "secrets.hpp"
#include "static_files.hpp"

namespace ruche::server {

namespace http = boost::beast::http;
using json = nlohmann::json;

http_response make_response(const http_request& request, http::status status,
                            std::string_view content_type, std::string body) {
    http_response res{status, request.version()};
    res.set(http::field::server, "ruche");
    res.set(http::field::content_type, content_type);
    set_security_headers(res.base());
    res.keep_alive(request.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http_response json_response(const http_request& request, http::status status, const json& body) {
    auto res = make_response(request, status, "application/json", body.dump());
    res.set(http::field::cache_control, "no-store");
    return res;
}

http_response created_response(const app& a, const http_request& request,
                               const created_session& created) {
    return json_response(
        request, http::status::created,
        {{"session_id", created.session_id},
         {"join_code", created.join_code},
         {"facilitator_token", created.facilitator_token},
         {"join_url", a.join_url(created.join_code)},
         {"board_url", a.board_url(created.facilitator_token)},
         {"qr_url", a.public_url + "/api/sessions/" + created.session_id + "/qr.svg"}});
}

namespace {

// Path segments of the target without its query string: "/api/join/X" → {"api","join","X"}.
std::vector<std::string_view> segments(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::vector<std::string_view> out;
    while (!target.empty()) {
        if (target.front() == '/') {
            target.remove_prefix(1);
            continue;
        }
        const auto end = target.find('/');
        out.push_back(target.substr(0, end));
        target = end == std::string_view::npos ? std::string_view() : target.substr(end);
    }
    return out;
}

std::optional<std::string> bearer_token(const http_request& request) {
    const std::string_view auth = request[http::field::authorization];
    constexpr std::string_view prefix = "Bearer ";
    if (!auth.starts_with(prefix)) return std::nullopt;
    return std::string(auth.substr(prefix.size()));
}

// The facilitator of `session_id`, proven by the Authorization header.
bool is_facilitator_of(app& a, const http_request& request, const std::string& session_id) {
    const auto token = bearer_token(request);
    if (!token) return false;
    const auto session = a.rooms.session_by_facilitator_token(*token);
    return session && constant_time_equal(*session, session_id);
}

http_response create_session(app& a, const http_request& request) {
    const json body = json::parse(request.body(), nullptr, false);
    if (!body.is_object()) {
        return json_error(request, http::status::bad_request, "not_json",
                          "the body must be a JSON object");
    }
    session_options options;
    json settings = body;
    if (auto it = settings.find("private_writing"); it != settings.end()) {
        if (!it->is_boolean()) {
            return json_error(request, http::status::bad_request, "wrong_type",
                              "private_writing must be true or false");
        }
        options.private_writing = it->get<bool>();
        settings.erase(it);
    }
    if (settings.contains("kind")) {
        return json_error(request, http::status::bad_request, "unknown_field", "kind");
    }
    if (!settings.contains("title")) {
        return json_error(request, http::status::bad_request, "missing_field", "title is required");
    }
    // The remaining fields are exactly those of a settings.set op: same validation.
    settings["kind"] = "settings.set";
    auto decoded = protocol::decode_op(settings, protocol::origin::client);
    if (!decoded) {
        return json_error(request, http::status::bad_request,
                          protocol::code_name(decoded.error().code), decoded.error().message());
    }
    options.settings = std::get<protocol::ops::settings_set>(*decoded);

    created_session created;
    if (auto ec = a.rooms.create(options, created)) {
        spdlog::error("cannot create a session: {}", ec.message());
        return json_error(request, http::status::service_unavailable, "storage_unavailable",
                          "the session could not be saved, try again");
    }
    a.metrics.sessions_created_total.inc();
    return created_response(a, request, created);
}

http_response join_info(app& a, const http_request& request, const std::string& remote,
                        std::string_view typed) {
    const auto now = std::chrono::steady_clock::now();
    const auto too_many = [&] {
        auto res = json_error(request, http::status::too_many_requests, "too_many_attempts",
                              "too many failed attempts, try again in a few seconds");
        res.set(http::field::retry_after, "2");
        return res;
    };
    // As for a hello: a blocked address gets one try every 2 s, so the
    // right code still gets in; a wrong one while blocked extends the block.
    if (!a.join_attempts.may_try(remote, now)) return too_many();
    const bool blocked = a.join_attempts.blocked(remote, now);
    // The code as typed, escapes undone ("YD7%2023Q" is "YD7 23Q"): the same
    // normalisation as a hello's join_code.
    const auto unescaped = percent_decode(typed);
    const auto code = unescaped ? normalize_join_code(*unescaped) : std::nullopt;
    std::optional<std::string> session;
    if (code) session = a.rooms.session_by_join_code(*code);
    std::error_code ec;
    auto r = session ? a.rooms.room_for(*session, ec) : nullptr;
    if (!r) {
        if (!ec) a.join_attempts.record_failure(remote, now);
        if (!ec && blocked) return too_many();
        return ec ? json_error(request, http::status::service_unavailable, "storage_unavailable",
                               "the session could not be loaded")
                  : json_error(request, http::status::not_found, "unknown_join_code",
                               "no session has this code");
    }
    const auto s = r->summary();
    json profiles = json::array();
    for (const auto p : s.profiles) profiles.push_back(protocol::to_string(p));
    return json_response(request, http::status::ok,
                         {{"join_code", *code},
                          {"title", s.title},
                          {"question", s.question},
                          {"phase", protocol::to_string(s.phase)},
                          {"profiles", std::move(profiles)},
                          {"present", s.present}});
}

http_response qr_code(app& a, const http_request& request, const std::string& session_id) {
    std::error_code ec;
    auto r = a.rooms.room_for(session_id, ec);
    if (!r)
        return json_error(request, http::status::not_found, "unknown_session", "no such session");
    auto svg = qr_svg(a.join_url(r->join_code()));
    if (!svg) {
        return json_error(request, http::status::internal_server_error, "qr_failed",
                          "the QR code could not be drawn");
    }
    auto res = make_response(request, http::status::ok, "image/svg+xml", std::move(*svg));
    res.set(http::field::cache_control, "no-cache");
    return res;
}

http_response facilitator_info(app& a, const http_request& request, const std::string& session_id) {
    std::error_code ec;
    auto r = a.rooms.room_for(session_id, ec);
    if (!r)
        return json_error(request, http::status::not_found, "unknown_session", "no such session");
    const auto& code = r->join_code();
    const auto s = r->summary();
    return json_response(request, http::status::ok,
                         {{"session_id", session_id},
                          {"title", s.title},
                          {"phase", protocol::to_string(s.phase)},
                          {"join_code", code},
                          {"join_url", a.join_url(code)},
                          {"present", s.present}});
}

http_response static_file(app& a, const http_request& request) {
    std::string target(request.target());
    // Pages reached by links people share: /j/CODE (join), /tableau (board), /rejouer (replay),
    // /confidentialite (what Ruche keeps).
    const auto parts = segments(target);
    if (parts.size() == 2 && parts[0] == "j") target = "/phone.html";
    if (parts.size() == 1 && parts[0] == "tableau") target = "/board.html";
    if (parts.size() == 1 && parts[0] == "rejouer") target = "/replay.html";
    if (parts.size() == 1 && parts[0] == "confidentialite") target = "/privacy.html";
    const auto path = is_published(target) ? resolve_static(a.cfg.static_dir, target) : std::nullopt;
    if (!path) return json_error(request, http::status::not_found, "not_found", "no such page");
    std::ifstream in(*path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) {
        return json_error(request, http::status::internal_server_error, "read_failed",
                          "cannot read");
    }
    auto res = make_response(request, http::status::ok, mime_type(path->string()), content.str());
    res.set(http::field::cache_control, cache_control_for(path->string()));
    allow_what_the_page_needs(res.base(), path->filename().string());
    if (request.method() == http::verb::head) {
        res.body().clear();
        res.content_length(content.str().size());
    }
    return res;
}

}  // namespace

http_response json_error(const http_request& request, http::status status, std::string_view code,
                         std::string_view message) {
    return json_response(request, status, {{"error", {{"code", code}, {"message", message}}}});
}

http_response https_redirect(const app& a, const http_request& request) {
    const auto host = request[http::field::host];
    std::string location = host.empty() ? a.public_url : "https://" + std::string(host);
    location += request.target();
    auto res = json_error(request, http::status::permanent_redirect, "https_required",
                          "this server speaks HTTPS: " + location);
    res.set(http::field::location, location);
    return res;
}

namespace {

// The host of an authority ("host", "host:port", "[v6]:port") or of a URL's,
// lower-cased, without the port.
std::string host_name(std::string_view authority) {
    if (const auto scheme = authority.find("://"); scheme != std::string_view::npos) {
        authority = authority.substr(scheme + 3);
    }
    authority = authority.substr(0, authority.find('/'));
    std::string_view name = authority;
    if (name.starts_with('[')) {
        name = name.substr(0, name.find(']') + 1);
    } else if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
        name = name.substr(0, colon);
    }
    std::string lower(name);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return lower;
}

}  // namespace

bool host_allowed(const app& a, std::string_view host) {
    if (host.empty()) return true;  // HTTP/1.0: no browser sends that
    const std::string name = host_name(host);
    // DNS rebinding needs a name: addresses are always fine.
    boost::system::error_code ec;
    const std::string_view bare =
        name.starts_with('[') && name.ends_with(']') ? std::string_view(name).substr(1, name.size() - 2)
                                                     : std::string_view(name);
    boost::asio::ip::make_address(bare, ec);
    if (!ec || name == "localhost") return true;
    if (name == host_name(a.public_url)) return true;
    const auto& allowed = a.cfg.allowed_origins;
    return std::any_of(allowed.begin(), allowed.end(),
                       [&](const std::string& origin) { return host_name(origin) == name; });
}

bool origin_allowed(const app& a, std::string_view origin, std::string_view host) {
    if (!host.empty() &&
        (origin == "http://" + std::string(host) || origin == "https://" + std::string(host))) {
        return true;
    }
    if (origin == a.public_url) return true;
    const auto& allowed = a.cfg.allowed_origins;
    return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

http_response handle_request(app& a, const http_request& request, const std::string& remote) {
    const auto parts = segments(request.target());
    const auto method = request.method();
    const auto only = [&](http::verb allowed) {
        auto res = json_error(request, http::status::method_not_allowed, "method_not_allowed",
                              "this method is not allowed here");
        res.set(http::field::allow, http::to_string(allowed));
        return res;
    };

    if (parts.size() == 1 && parts[0] == "healthz") {
        // Still 200 when the disk is full: reads and exports are served.
        const bool writable = a.logs.log().health().writable;
        return json_response(request, http::status::ok,
                             {{"status", writable ? "ok" : "degraded"}, {"storage_writable", writable}});
    }
    if (parts.size() == 1 && parts[0] == "metrics") {
        const auto health = a.logs.log().health();
        a.metrics.storage_writable.set(health.writable ? 1 : 0);
        a.metrics.storage_write_failures.set(static_cast<std::int64_t>(health.failures));
        a.metrics.imports_under_way.set(static_cast<std::int64_t>(a.imports.under_way()));
        return make_response(request, http::status::ok, metrics_content_type, a.metrics.render());
    }
    if (!parts.empty() && parts[0] == "api") {
        // A page of another site may send a form or a plain fetch here
        // without asking (CSRF): what changes something must come from an
        // allowed origin, or from no browser at all (no Origin, e.g. curl).
        const bool changes = method != http::verb::get && method != http::verb::head &&
                             method != http::verb::options;
        const auto origin = request[http::field::origin];
        if (changes && !origin.empty() && !origin_allowed(a, origin, request[http::field::host])) {
            return json_error(request, http::status::forbidden, "forbidden_origin",
                              "this page's origin may not change anything here");
        }
        const bool creating = method == http::verb::post && parts.size() >= 2 && parts[1] == "sessions" &&
                              (parts.size() == 2 || (parts.size() == 3 && parts[2] == "import"));
        if (creating) {
            // Anyone who reaches the server may create sessions: not endlessly.
            const auto now = std::chrono::steady_clock::now();
            if (a.creations.blocked(remote, now)) {
                auto res = json_error(request, http::status::too_many_requests, "too_many_attempts",
                                      "too many sessions created from this address, wait a while");
                res.set(http::field::retry_after, "600");
                return res;
            }
            a.creations.record_failure(remote, now);
            return parts.size() == 2 ? create_session(a, request) : import_session(a, request);
        }
        if (parts.size() == 2 && parts[1] == "sessions") return only(http::verb::post);
        if (parts.size() == 3 && parts[1] == "sessions" && parts[2] == "import") return only(http::verb::post);
        if (parts.size() == 3 && parts[1] == "join") {
            return method == http::verb::get ? join_info(a, request, remote, parts[2])
                                             : only(http::verb::get);
        }
        if (parts.size() >= 3 && parts[1] == "sessions") {
            const std::string session_id(parts[2]);
            if (parts.size() == 4 && parts[3] == "qr.svg") {
                return method == http::verb::get ? qr_code(a, request, session_id)
                                                 : only(http::verb::get);
            }
            // Photos: a participant's or the facilitator's, each checked there.
            if (parts.size() >= 4 && parts[3] == "photos") {
                if (parts.size() == 4) {
                    return method == http::verb::post ? upload_photo(a, request, remote, session_id)
                                                      : only(http::verb::post);
                }
                const bool thumb = parts.size() == 6 && parts[5] == "thumb";
                if (parts.size() == 5 || thumb) {
                    if (method != http::verb::get && method != http::verb::head) return only(http::verb::get);
                    return serve_photo(a, request, remote, session_id, std::string(parts[4]), thumb);
                }
            }
            if (parts.size() > 4)
                return json_error(request, http::status::not_found, "not_found",
                                  "no such API endpoint");
            // Everything else about a session is the facilitator's.
            // The right token is never refused; wrong ones count as guesses
            // (with wrong join codes), and past the limit say so.
            if (!is_facilitator_of(a, request, session_id)) {
                const auto now = std::chrono::steady_clock::now();
                if (bearer_token(request)) {
                    if (a.join_attempts.blocked(remote, now)) {
                        a.join_attempts.record_failure(remote, now);
                        auto res = json_error(request, http::status::too_many_requests,
                                              "too_many_attempts", "too many wrong tokens, wait a minute");
                        res.set(http::field::retry_after, "60");
                        return res;
                    }
                    a.join_attempts.record_failure(remote, now);
                }
                auto res = json_error(request, http::status::unauthorized, "unauthorized",
                                      "the facilitator token is required");
                res.set(http::field::www_authenticate, "Bearer");
                return res;
            }
            if (parts.size() == 3) {
                if (method == http::verb::get) return facilitator_info(a, request, session_id);
                if (method != http::verb::delete_) {
                    auto res = only(http::verb::get);
                    res.set(http::field::allow, "GET, DELETE");
                    return res;
                }
                if (a.rooms.erase(session_id)) {
                    return json_error(request, http::status::service_unavailable,
                                      "storage_unavailable", "the session could not be deleted");
                }
                return make_response(request, http::status::no_content, "application/json", {});
            }
            if (method != http::verb::get) return only(http::verb::get);
            if (parts[3] == "state") return session_state_at(a, request, session_id);
            if (parts[3] == "timeline") return session_timeline(a, request, session_id);
            if (parts[3].starts_with("minutes."))
                return session_minutes(a, request, session_id, parts[3].substr(8));
        }
        return json_error(request, http::status::not_found, "not_found", "no such API endpoint");
    }
    if (method != http::verb::get && method != http::verb::head) return only(http::verb::get);
    return static_file(a, request);
}

}  // namespace ruche::server
