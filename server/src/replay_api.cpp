#include "replay_api.hpp"

#include <spdlog/spdlog.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <vector>

#include "app.hpp"
#include "file_name.hpp"
#include "http_util.hpp"
#include "photo_codec.hpp"
#include "room.hpp"
#include "ruche/board/fold.hpp"
#include "ruche/minutes/minutes.hpp"
#include "ruche/wire/geojson.hpp"
#include "ruche/wire/session_export.hpp"
#include "ruche/wire/visibility.hpp"
#include "time_zone.hpp"

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

// The time zone of a session's minutes: the one it was created with, or,
// for sessions older than that, the server's.
std::string session_time_zone(const app& a, const protocol::board& b) {
    if (!b.settings.time_zone.empty() && is_known_time_zone(b.settings.time_zone)) {
        return b.settings.time_zone;
    }
    return a.cfg.time_zone;
}

// A session's log and board as they may leave the server: in an anonymous
// session, no name and no profile of a small group (see anonymized_log).
struct shareable_session {
    std::vector<protocol::stamped_op> log;
    protocol::board board;
};
// From a log already read and the board it folds into.
std::optional<shareable_session> shareable(const app& a, const std::vector<protocol::stamped_op>& log,
                                           const protocol::board& board) {
    if (!board.settings.anonymous) return shareable_session{log, board};
    auto shared = protocol::anonymized_log(board, log, a.cfg.anonymity_threshold);
    auto shown = protocol::fold(shared);
    if (!shown) return std::nullopt;
    return shareable_session{std::move(shared), std::move(*shown)};
}

std::optional<shareable_session> read_shareable(app& a, const std::string& session_id) {
    std::vector<protocol::stamped_op> log;
    if (a.logs.read_ops(session_id, log)) return std::nullopt;
    const auto board = protocol::fold(log);
    if (!board) return std::nullopt;
    return shareable(a, log, *board);
}

// "2026-11-25-atelier-isolement-compte-rendu" (fr) or "...-minutes" (en).
std::pair<std::string, std::string> minutes_file_stems(const protocol::minutes& m,
                                                       const protocol::minutes_options& o) {
    const std::string date = protocol::iso_date(m.start_time, o.utc_offset_minutes);
    const std::string what = o.lang == "en" ? "minutes" : "compte-rendu";
    auto ascii = ascii_slug(m.title);
    auto utf8 = utf8_slug(m.title);
    if (ascii.empty()) ascii = o.lang == "en" ? "session" : "atelier";
    if (utf8.empty()) utf8 = ascii;
    return {date + "-" + ascii + "-" + what, date + "-" + utf8 + "-" + what};
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
    std::vector<std::pair<const char*, const std::string*>> entries = {
        {"mimetype", &parts.mimetype},       {"META-INF/manifest.xml", &parts.manifest_xml},
        {"content.xml", &parts.content_xml}, {"styles.xml", &parts.styles_xml},
        {"meta.xml", &parts.meta_xml},
    };
    for (const auto& [name, bytes] : parts.pictures) entries.emplace_back(name.c_str(), &bytes);
    bool ok = true;
    for (const auto& [name, data] : entries) {
        zip_source_t* s = zip_source_buffer(archive, data->data(), data->size(), 0);
        const zip_int64_t index = s ? zip_file_add(archive, name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (s) zip_source_free(s);
            ok = false;
            break;
        }
        // The mimetype first and stored, as OpenDocument asks; JPEGs are
        // compressed already.
        const bool stored = std::string_view(name) == "mimetype" || std::string_view(name).starts_with("Pictures/");
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                 stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
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

// The state right after op `seq`. A session that is not anonymous starts from
// the newest checkpoint at or before it; an anonymous one folds its shareable
// log up to `seq` only (the anonymisation of each op depends on the final
// board, which the checkpoints give quickly).
http_response state_at_seq(app& a, const http_request& request, const std::string& session_id,
                           std::uint64_t seq) {
    protocol::board final;
    if (a.logs.load(session_id, final)) return storage_error(request);
    if (seq > final.seq) {
        return json_error(request, http::status::not_found, "out_of_range", "no op has this seq yet");
    }
    if (!final.settings.anonymous) {
        protocol::board at;
        if (a.logs.load(session_id, at, seq)) return storage_error(request);
        return json_ok(request, protocol::facilitator_view(at));
    }
    std::vector<protocol::stamped_op> prefix;
    if (a.logs.read_ops(session_id, prefix, seq)) return storage_error(request);
    const auto board = protocol::fold(protocol::anonymized_log(final, prefix, a.cfg.anonymity_threshold));
    if (!board) return storage_error(request);
    return json_ok(request, protocol::facilitator_view(*board));
}

}  // namespace

http_response session_state_at(app& a, const http_request& request, const std::string& session_id) {
    const auto target = request.target();
    if (auto s = query_param(target, "seq")) {
        auto parsed = parse_int<std::uint64_t>(*s);
        if (!parsed || *parsed == 0) {
            return json_error(request, http::status::bad_request, "out_of_range",
                              "seq must be a positive integer");
        }
        return state_at_seq(a, request, session_id, *parsed);
    }
    // Every state leaves as the shareable log folds it: the replay of an
    // anonymous session ties no idea to a name or to a small group's profile.
    const auto session = read_shareable(a, session_id);
    if (!session) return storage_error(request);
    const auto& log = session->log;
    const auto t = query_param(target, "time");
    // No point in time: the board as it is now.
    if (!t) return json_ok(request, protocol::facilitator_view(session->board));
    auto time = parse_int<std::int64_t>(*t);
    if (!time) {
        return json_error(request, http::status::bad_request, "wrong_type",
                          "time must be milliseconds");
    }
    // The last op at or before that time; before the first op there is no state.
    std::uint64_t seq = 0;
    for (const auto& op : log) {
        if (op.time > *time) break;
        seq = op.seq;
    }
    if (seq == 0) {
        return json_error(request, http::status::not_found, "before_start",
                          "the session had not started");
    }
    const auto board = protocol::fold(log, seq);
    if (!board) return storage_error(request);
    return json_ok(request, protocol::facilitator_view(*board));
}

http_response session_timeline(app& a, const http_request& request, const std::string& session_id) {
    std::vector<protocol::stamped_op> log;
    if (a.logs.read_ops(session_id, log)) return storage_error(request);
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

// The thumbnails of the photos the notes on the board hold, for the minutes
// to embed. A photo that cannot be read is left out (the minutes still come).
protocol::minutes_pictures thumbnails_of(app& a, const std::string& session_id, const protocol::board& board) {
    protocol::minutes_pictures out;
    for (const auto& [id, n] : board.notes) {
        if (!n.photo || out.count(*n.photo)) continue;
        std::optional<std::string> thumb, meta;
        if (a.logs.log().get_photo(session_id, *n.photo, storage::photo_part::thumb, thumb) || !thumb) continue;
        if (a.logs.log().get_photo(session_id, *n.photo, storage::photo_part::meta, meta) || !meta) continue;
        // The thumbnail is the photo shrunk to thumb_long_side at most.
        const json size = json::parse(*meta, nullptr, false);
        const double width = size.is_object() ? size.value("width", 0.0) : 0.0;
        const double height = size.is_object() ? size.value("height", 0.0) : 0.0;
        const double scale = std::min(1.0, thumb_long_side / std::max({width, height, 1.0}));
        out[*n.photo] = {std::move(*thumb), static_cast<std::uint32_t>(std::lround(width * scale)),
                         static_cast<std::uint32_t>(std::lround(height * scale))};
    }
    return out;
}

http_response session_minutes(app& a, const http_request& request, const std::string& session_id,
                              std::string_view format) {
    std::string lang(query_param(request.target(), "lang").value_or("fr"));
    if (lang != "fr" && lang != "en") {
        return json_error(request, http::status::bad_request, "unknown_lang",
                          "lang must be fr or en");
    }
    std::vector<protocol::stamped_op> log;
    if (a.logs.read_ops(session_id, log)) return storage_error(request);
    const auto folded = protocol::fold(log);
    if (!folded) return storage_error(request);
    const protocol::board& board = *folded;
    const auto words = load_catalog(a, lang);
    if (!words) {
        return json_error(request, http::status::internal_server_error, "catalog_missing",
                          "the minutes' words are missing");
    }
    protocol::minutes_options options;
    options.text = &*words;
    options.lang = lang;
    options.time_zone = session_time_zone(a, board);
    // A walk's photos go in the printable minutes and the document.
    protocol::minutes_pictures pictures;
    if (format == "html" || format == "odt" || format == "md") {
        pictures = thumbnails_of(a, session_id, board);
        options.pictures = &pictures;
    }
    const auto minutes = protocol::build_minutes(board, log, a.cfg.anonymity_threshold, a.cfg.retention_days);
    options.utc_offset_minutes = utc_offset_minutes(options.time_zone, minutes.start_time).value_or(0);
    // A pair, not a structured binding: clang 14 (the fuzz build) cannot
    // capture those in a lambda.
    const auto stems = minutes_file_stems(minutes, options);
    const auto attachment = [&](std::string_view ext) {
        return content_disposition(stems.first + "." + std::string(ext),
                                   stems.second + "." + std::string(ext));
    };
    std::string body;
    std::string_view type;
    if (format == "json") {
        // The backup: the whole log, but of an anonymous session only what may leave.
        const auto session = shareable(a, log, board);
        if (!session) return storage_error(request);
        auto res = json_ok(request, protocol::session_export(session->board, session->log));
        res.set(http::field::content_disposition, attachment("json"));
        return res;
    }
    if (format == "geojson") {
        // The walk's stops and notes on a map, for the city's GIS team.
        auto res = make_response(request, http::status::ok, "application/geo+json",
                                 protocol::walk_geojson(board, "/api/sessions/" + session_id + "/photos/").dump());
        res.set(http::field::cache_control, "no-store");
        res.set(http::field::content_disposition, attachment("geojson"));
        return res;
    }
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
                          "formats: html, md, csv, odt, json, geojson");
    }
    auto res = make_response(request, http::status::ok, type, std::move(body));
    res.set(http::field::cache_control, "no-store");
    // The printable minutes carry their own stylesheet and run no script.
    if (format == "html") {
        res.set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors "
                "'none'");
    }
    // The HTML is shown in the browser (to print it); the others are files.
    if (format != "html") res.set(http::field::content_disposition, attachment(format));
    return res;
}

http_response import_session(app& a, const http_request& request) {
    // Read as a stream: the log's entries are folded as they are parsed, and
    // the file's size, depth, ops and notes are bounded (export_limits).
    auto log = protocol::parse_session_export(request.body());
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
