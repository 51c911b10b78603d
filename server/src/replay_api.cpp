#include "replay_api.hpp"

#include <spdlog/spdlog.h>
#include <zip.h>

#include <charconv>
#include <ctime>
#include <fstream>

#include "app.hpp"
#include "http_util.hpp"
#include "room.hpp"
#include "ruche/protocol/minutes.hpp"

namespace ruche::server {

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

// A query parameter's value, e.g. query_param("/x?seq=12&lang=fr", "seq") → "12".
std::optional<std::string_view> query_param(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

template <typename Int>
std::optional<Int> parse_int(std::string_view s) {
    Int value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

// The board after the ops of a log already read, up to `up_to` (0: all):
// no second trip to the op log.
std::optional<protocol::board> fold(const std::vector<protocol::stamped_op>& log,
                                    std::uint64_t up_to = 0) {
    protocol::board board;
    for (const auto& op : log) {
        if (up_to != 0 && op.seq > up_to) break;
        if (!protocol::apply(board, op)) return std::nullopt;
    }
    return board;
}

http_response storage_error(const http_request& request) {
    return json_error(request, http::status::service_unavailable, "storage_unavailable",
                      "the session could not be read");
}

// The minutes catalogs are the web client's: one set of words for both.
std::optional<protocol::catalog> load_catalog(const app& a, std::string_view lang) {
    std::ifstream in(std::filesystem::path(a.cfg.static_dir) / "i18n" /
                     (std::string(lang) + ".json"));
    if (!in) return std::nullopt;
    const json j = json::parse(in, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    protocol::catalog c;
    for (const auto& [key, value] : j.items()) {
        if (value.is_string()) c[key] = value.get<std::string>();
    }
    return c;
}

// The server's local offset from UTC at `ms`, for times printed in the minutes.
int utc_offset_minutes(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm local{};
    if (!localtime_r(&t, &local)) return 0;
    return static_cast<int>(local.tm_gmtoff / 60);
}

// The OpenDocument package: "mimetype" first and stored, then the parts.
std::optional<std::string> zip_odt(const protocol::odt_parts& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!buffer) return std::nullopt;
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    if (!archive) {
        zip_source_free(buffer);
        return std::nullopt;
    }
    zip_source_keep(buffer);
    const std::pair<const char*, const std::string*> entries[] = {
        {"mimetype", &parts.mimetype},       {"META-INF/manifest.xml", &parts.manifest_xml},
        {"content.xml", &parts.content_xml}, {"styles.xml", &parts.styles_xml},
        {"meta.xml", &parts.meta_xml},
    };
    bool ok = true;
    for (const auto& [name, data] : entries) {
        zip_source_t* s = zip_source_buffer(archive, data->data(), data->size(), 0);
        const zip_int64_t index = s ? zip_file_add(archive, name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (s) zip_source_free(s);
            ok = false;
            break;
        }
        const bool first = std::string_view(name) == "mimetype";
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                 first ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
        zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), 0, 0);
    }
    if (!ok || zip_close(archive) < 0) {
        if (!ok) zip_discard(archive);
        zip_source_free(buffer);
        return std::nullopt;
    }
    std::string out;
    zip_stat_t st;
    if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
        out.resize(st.size);
        const auto n = zip_source_read(buffer, out.data(), st.size);
        zip_source_close(buffer);
        if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) out.clear();
    }
    zip_source_free(buffer);
    if (out.empty()) return std::nullopt;
    return out;
}

}  // namespace

http_response session_state_at(app& a, const http_request& request, const std::string& session_id) {
    const auto target = request.target();
    std::uint64_t seq = 0;
    if (auto s = query_param(target, "seq")) {
        auto parsed = parse_int<std::uint64_t>(*s);
        if (!parsed || *parsed == 0) {
            return json_error(request, http::status::bad_request, "out_of_range",
                              "seq must be a positive integer");
        }
        seq = *parsed;
    } else if (auto t = query_param(target, "time")) {
        auto time = parse_int<std::int64_t>(*t);
        if (!time)
            return json_error(request, http::status::bad_request, "wrong_type",
                              "time must be milliseconds");
        std::vector<protocol::stamped_op> log;
        if (a.sessions.read_ops(session_id, log)) return storage_error(request);
        // The last op at or before that time; before the first op there is no state.
        for (const auto& op : log) {
            if (op.time > *time) break;
            seq = op.seq;
        }
        if (seq == 0)
            return json_error(request, http::status::not_found, "before_start",
                              "the session had not started");
        const auto board = fold(log, seq);
        if (!board) return storage_error(request);
        return json_ok(request, protocol::to_json(*board));
    } else {
        // No point in time: the board as it is now, in memory.
        std::error_code ec;
        auto r = a.rooms.room_for(session_id, ec);
        if (!r) return storage_error(request);
        return make_response(request, http::status::ok, "application/json", r->live_state());
    }
    std::uint64_t head = 0;
    if (a.sessions.log().head(session_id, head)) return storage_error(request);
    if (seq > head)
        return json_error(request, http::status::not_found, "out_of_range",
                          "no op has this seq yet");
    protocol::board board;
    if (a.sessions.load(session_id, board, seq)) return storage_error(request);
    return json_ok(request, protocol::to_json(board));
}

http_response session_timeline(app& a, const http_request& request, const std::string& session_id) {
    std::vector<protocol::stamped_op> log;
    if (a.sessions.read_ops(session_id, log)) return storage_error(request);
    json ops = json::array();
    json markers = json::array();
    for (const auto& op : log) {
        ops.push_back({op.seq, op.time});
        if (const auto* p = std::get_if<protocol::ops::phase_set>(&op.op)) {
            markers.push_back({{"kind", "phase"},
                               {"phase", protocol::to_string(p->phase)},
                               {"seq", op.seq},
                               {"time", op.time}});
        } else if (const auto* l = std::get_if<protocol::ops::board_lock>(&op.op)) {
            markers.push_back(
                {{"kind", l->locked ? "locked" : "unlocked"}, {"seq", op.seq}, {"time", op.time}});
        }
    }
    json body = {{"session_id", session_id},
                 {"head", log.empty() ? 0 : log.back().seq},
                 {"markers", std::move(markers)},
                 {"ops", std::move(ops)}};
    if (!log.empty()) {
        body["start"] = log.front().time;
        body["end"] = log.back().time;
    }
    return json_ok(request, body);
}

http_response session_minutes(app& a, const http_request& request, const std::string& session_id,
                              std::string_view format) {
    std::string lang(query_param(request.target(), "lang").value_or("fr"));
    if (lang != "fr" && lang != "en") {
        return json_error(request, http::status::bad_request, "unknown_lang",
                          "lang must be fr or en");
    }
    std::vector<protocol::stamped_op> log;
    if (a.sessions.read_ops(session_id, log)) return storage_error(request);
    const auto folded = fold(log);
    if (!folded) return storage_error(request);
    const protocol::board& board = *folded;
    const std::string filename = "compte-rendu-" + session_id;
    if (format == "json") {
        auto res = json_ok(request, protocol::session_export(board, log));
        res.set(http::field::content_disposition, "attachment; filename=\"" + filename + ".json\"");
        return res;
    }
    const auto words = load_catalog(a, lang);
    if (!words) {
        return json_error(request, http::status::internal_server_error, "catalog_missing",
                          "the minutes' words are missing");
    }
    protocol::minutes_options options;
    options.text = &*words;
    options.lang = lang;
    options.utc_offset_minutes = utc_offset_minutes(log.empty() ? 0 : log.front().time);
    const auto minutes = protocol::build_minutes(board, log);
    std::string body;
    std::string_view type;
    if (format == "html") {
        body = protocol::minutes_html(minutes, options);
        type = "text/html; charset=utf-8";
    } else if (format == "md") {
        body = protocol::minutes_markdown(minutes, options);
        type = "text/markdown; charset=utf-8";
    } else if (format == "csv") {
        body = protocol::minutes_csv(minutes, options);
        type = "text/csv; charset=utf-8";
    } else if (format == "odt") {
        auto zipped = zip_odt(protocol::minutes_odt(minutes, options));
        if (!zipped) {
            return json_error(request, http::status::internal_server_error, "odt_failed",
                              "the document could not be built");
        }
        body = std::move(*zipped);
        type = "application/vnd.oasis.opendocument.text";
    } else {
        return json_error(request, http::status::not_found, "unknown_format",
                          "formats: html, md, csv, odt, json");
    }
    auto res = make_response(request, http::status::ok, type, std::move(body));
    res.set(http::field::cache_control, "no-store");
    // The printable minutes carry their own stylesheet and run no script.
    if (format == "html") {
        res.set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors "
                "'none'");
    }
    // The HTML is shown in the browser (to print it); the others are files.
    if (format != "html") {
        res.set(http::field::content_disposition,
                "attachment; filename=\"" + filename + "." + std::string(format) + "\"");
    }
    return res;
}

http_response import_session(app& a, const http_request& request) {
    const json body = json::parse(request.body(), nullptr, false);
    if (body.is_discarded())
        return json_error(request, http::status::bad_request, "not_json", "the body must be JSON");
    auto log = protocol::read_session_export(body);
    if (!log) {
        return json_error(request, http::status::bad_request, protocol::code_name(log.error().code),
                          log.error().message());
    }
    created_session created;
    if (auto ec = a.rooms.import(*log, created)) {
        spdlog::error("cannot import a session: {}", ec.message());
        return storage_error(request);
    }
    a.metrics.sessions_created_total.inc();
    return created_response(a, request, created);
}

}  // namespace ruche::server
