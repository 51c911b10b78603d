// The HTTP side of the server over real sockets: the session API, join codes,
// QR codes, health, metrics, facilitator authentication and headers.

#include <sys/stat.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <thread>
#include <vector>

#include "control.hpp"
#include "server_harness.hpp"

using namespace ruche::testing;
namespace http = boost::beast::http;

TEST_CASE("creating a session returns its secrets and links") {
    running_server srv;
    const auto reply = http_call(
        srv.port(), http::verb::post, "/api/sessions",
        R"({"title":"Isolement des aînés","question":"Comment lutter contre l'isolement des personnes âgées ?","vote_budget":3,"profiles":["habitant","elu"]})");
    REQUIRE(reply.status == 201);
    const json j = reply.json_body();
    CHECK(std::regex_match(j["join_code"].get<std::string>(),
                           std::regex("[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}")));
    CHECK(j["facilitator_token"].get<std::string>().size() >= 22);  // >= 128 bits in base64url
    CHECK(j["session_id"].get<std::string>().size() == 16);
    const std::string compact =
        std::regex_replace(j["join_code"].get<std::string>(), std::regex("-"), "");
    CHECK(j["join_url"] == srv.public_url() + "/j/" + compact);
    CHECK(j["board_url"] ==
          srv.public_url() + "/tableau#" + j["facilitator_token"].get<std::string>());

    const auto info = http_call(srv.port(), http::verb::get, "/api/join/" + compact);
    REQUIRE(info.status == 200);
    const json pub = info.json_body();
    CHECK(pub["title"] == "Isolement des aînés");
    CHECK(pub["question"] == "Comment lutter contre l'isolement des personnes âgées ?");
    CHECK(pub["phase"] == "writing");
    CHECK(pub["profiles"] == json{"habitant", "elu"});
    CHECK_FALSE(pub.contains("facilitator_token"));
    // Typed the way people type it.
    std::string typed = j["join_code"].get<std::string>();
    std::transform(typed.begin(), typed.end(), typed.begin(), ::tolower);
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/" + typed).status == 200);
}

TEST_CASE("bad session requests get clear JSON errors") {
    running_server srv;
    const auto check = [&](const std::string& body, unsigned status, const std::string& code) {
        INFO(body);
        const auto reply = http_call(srv.port(), http::verb::post, "/api/sessions", body);
        CHECK(reply.status == status);
        CHECK(reply.json_body()["error"]["code"] == code);
        CHECK_FALSE(reply.json_body()["error"]["message"].get<std::string>().empty());
    };
    check("{pas du json", 400, "not_json");
    check(R"({"question":"sans titre"})", 400, "missing_field");
    check(R"({"title":""})", 400, "empty_text");
    check(R"({"title":"Atelier","vote_budget":1000})", 400, "out_of_range");
    check(R"({"title":"Atelier","private_writing":"oui"})", 400, "wrong_type");
    check(R"({"title":"Atelier","colour":"red"})", 400, "unknown_field");
    check(R"({"title":")" + std::string(100 * 1024, 'a') + R"("})", 413, "too_large");
    CHECK(http_call(srv.port(), http::verb::get, "/api/sessions").status == 405);
    CHECK(http_call(srv.port(), http::verb::get, "/api/nothing").status == 404);
}

TEST_CASE("unknown join codes are 404, and guessing is limited without locking out the right code") {
    auto cfg = running_server::test_config();
    cfg.limits.join_failures_per_minute = 5;
    running_server srv(cfg);
    const auto s = create_session(srv.port());
    for (int i = 0; i < 5; ++i) {
        CHECK(http_call(srv.port(), http::verb::get, "/api/join/ZZZZZZZZ" + std::to_string(i + 2))
                  .status == 404);
    }
    // The address is blocked (one room may share it): the right code still
    // gets in, on its one try every 2 s.
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/" + s.join_code).status == 200);
    // Right after, nothing is even looked up: wrong or right, 429.
    const auto guess = http_call(srv.port(), http::verb::get, "/api/join/ZZZZZZZZZ");
    CHECK(guess.status == 429);
    CHECK(guess.json_body()["error"]["code"] == "too_many_attempts");
    CHECK(guess.headers[http::field::retry_after] == "2");
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/" + s.join_code).status == 429);

    // A facilitator's token is never refused for others' mistakes.
    ws_client facilitator(srv.port());
    CHECK(facilitator.hello_facilitator(s.facilitator_token)["type"] == "welcome");
}

TEST_CASE("the QR code is an SVG of the join link") {
    running_server srv;
    const auto s = create_session(srv.port());
    const auto qr =
        http_call(srv.port(), http::verb::get, "/api/sessions/" + s.session_id + "/qr.svg");
    REQUIRE(qr.status == 200);
    CHECK(qr.headers[http::field::content_type] == "image/svg+xml");
    CHECK(qr.body.rfind("<svg", 0) == 0);
    CHECK(qr.body.find("/j/") != std::string::npos);  // the link, in the title
    CHECK(http_call(srv.port(), http::verb::get, "/api/sessions/aaaaaaaaaaaaaaaa/qr.svg").status ==
          404);
}

TEST_CASE("facilitator endpoints need the session's own token") {
    running_server srv;
    const auto s = create_session(srv.port(), {{"title", "A"}});
    const auto other = create_session(srv.port(), {{"title", "B"}});
    const std::string target = "/api/sessions/" + s.session_id;
    CHECK(http_call(srv.port(), http::verb::get, target).status == 401);
    CHECK(http_call(srv.port(), http::verb::get, target, {}, other.facilitator_token).status ==
          401);
    const auto ok = http_call(srv.port(), http::verb::get, target, {}, s.facilitator_token);
    REQUIRE(ok.status == 200);
    CHECK(ok.json_body()["join_code"] == s.join_code);

    // Deleting removes the session: its code no longer works.
    CHECK(http_call(srv.port(), http::verb::delete_, target, {}, other.facilitator_token).status ==
          401);
    CHECK(http_call(srv.port(), http::verb::delete_, target, {}, s.facilitator_token).status ==
          204);
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/" + s.join_code).status == 404);
    CHECK(http_call(srv.port(), http::verb::get, "/api/join/" + other.join_code).status == 200);
}

TEST_CASE("health, metrics and security headers") {
    running_server srv;
    const auto health = http_call(srv.port(), http::verb::get, "/healthz");
    CHECK(health.status == 200);
    CHECK(health.headers["Referrer-Policy"] == "no-referrer");
    CHECK(health.headers["X-Content-Type-Options"] == "nosniff");
    CHECK(health.headers["Content-Security-Policy"].find("script-src 'self'") !=
          boost::beast::string_view::npos);

    create_session(srv.port());
    const auto metrics = http_call(srv.port(), http::verb::get, "/metrics");
    REQUIRE(metrics.status == 200);
    CHECK(metrics.headers[http::field::content_type].starts_with("text/plain; version=0.0.4"));
    for (const char* name :
         {"ruche_connections ", "ruche_sessions_created_total 1", "ruche_ops_applied_total",
          "ruche_ops_rejected_total", "ruche_frames_sent_total", "ruche_bytes_queued",
          "ruche_slow_consumers_closed_total", "ruche_op_log_append_seconds_bucket"}) {
        CHECK(metrics.body.find(name) != std::string::npos);
    }
    CHECK(http_call(srv.port(), http::verb::get, "/../../etc/passwd").status == 404);
}

TEST_CASE("creating sessions is limited per address") {
    auto cfg = running_server::test_config();
    cfg.limits.sessions_per_hour = 3;
    running_server srv(cfg);
    for (int i = 0; i < 3; ++i) create_session(srv.port());
    const auto refused = http_call(srv.port(), http::verb::post, "/api/sessions", R"({"title":"Encore"})");
    CHECK(refused.status == 429);
    CHECK(refused.json_body()["error"]["code"] == "too_many_attempts");
    CHECK(http_call(srv.port(), http::verb::post, "/api/sessions/import", "{}").status == 429);
}

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A TCP connection to the server from another loopback address, so that the
// server counts it under another address than the other clients' 127.0.0.1.
tcp::socket connect_from(net::io_context& ioc, const char* from, std::uint16_t port) {
    tcp::socket socket(ioc);
    socket.open(tcp::v4());
    socket.bind({net::ip::make_address(from), 0});
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    return socket;
}

// One request on a connected socket; the status, or 0 if the server closed it.
unsigned ask(tcp::socket socket, const std::string& target, http::fields* headers = nullptr,
             const std::string& forwarded_for = {}) {
    boost::beast::tcp_stream stream(std::move(socket));
    stream.expires_after(5s);
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!forwarded_for.empty()) req.set("X-Forwarded-For", forwarded_for);
    boost::beast::error_code ec;
    http::write(stream, req, ec);
    if (ec) return 0;
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res, ec);
    if (ec) return 0;
    if (headers) *headers = res.base();
    return res.result_int();
}

}  // namespace

TEST_CASE("one address cannot take every connection: others join, /healthz answers") {
    auto cfg = running_server::test_config();
    cfg.limits.max_connections = 60;
    cfg.limits.connections_per_address = 12;
    cfg.limits.unjoined_per_address = 10;
    cfg.limits.reserved_for_joined = 5;
    running_server srv(cfg);
    net::io_context ioc;

    // 10 silent sockets from one address: its whole unjoined share. The
    // server accepts in order, so later connections are counted after them.
    std::vector<tcp::socket> silent;
    for (int i = 0; i < 10; ++i) silent.push_back(connect_from(ioc, "127.0.0.2", srv.port()));

    // Past its share the address is still told something: /healthz is
    // answered, anything else is "full, come back".
    CHECK(ask(connect_from(ioc, "127.0.0.2", srv.port()), "/healthz") == 200);
    http::fields headers;
    CHECK(ask(connect_from(ioc, "127.0.0.2", srv.port()), "/", &headers) == 503);
    CHECK(headers[http::field::retry_after] == "5");

    // Everyone else is served as usual and can join and write.
    CHECK(http_call(srv.port(), http::verb::get, "/healthz").status == 200);
    const auto s = create_session(srv.port(), {{"title", "Partage"}, {"private_writing", false}});
    ws_client participant(srv.port());
    participant.hello_participant(s.join_code);
    CHECK(participant.op("fair", {{"kind", "note.add"}, {"text", "Je suis là"}, {"color", "yellow"},
                                  {"x", 0}, {"y", 0}})["type"] == "ack");

    // The silent ones leave: the address gets its places back.
    for (auto& socket : silent) socket.close();
    silent.clear();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    unsigned page = 0;
    while ((page = ask(connect_from(ioc, "127.0.0.2", srv.port()), "/")) != 200 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);  // the server sees the closes asynchronously
    }
    CHECK(page == 200);
}

TEST_CASE("behind a trusted proxy, limits count the client it names, not the proxy") {
    auto cfg = running_server::test_config();
    cfg.limits.join_failures_per_minute = 3;
    cfg.limits.connections_per_address = 4;
    cfg.limits.unjoined_per_address = 4;
    cfg.trusted_proxies = {"127.0.0.2"};
    running_server srv(cfg);
    const auto s = create_session(srv.port());
    net::io_context ioc;
    const auto from_proxy = [&](const std::string& target, const std::string& client) {
        return ask(connect_from(ioc, "127.0.0.2", srv.port()), target, nullptr, client);
    };
    for (int i = 0; i < 3; ++i) CHECK(from_proxy("/api/join/ZZZZZZZZ" + std::to_string(i + 2), "198.51.100.1") == 404);
    CHECK(from_proxy("/api/join/ZZZZZZZZZ", "198.51.100.1") == 429);  // that client is blocked
    CHECK(from_proxy("/api/join/ZZZZZZZZZ", "198.51.100.2") == 404);  // its neighbour is not
    CHECK(from_proxy("/api/join/" + s.join_code, "198.51.100.2") == 200);

    // The proxy carries many people: the per-address shares do not hold it.
    std::vector<tcp::socket> held;
    for (int i = 0; i < 6; ++i) held.push_back(connect_from(ioc, "127.0.0.2", srv.port()));
    CHECK(from_proxy("/", "198.51.100.3") == 200);
    // Anyone else is held to them, and X-Forwarded-For from them is ignored.
    std::vector<tcp::socket> other;
    for (int i = 0; i < 4; ++i) other.push_back(connect_from(ioc, "127.0.0.3", srv.port()));
    CHECK(ask(connect_from(ioc, "127.0.0.3", srv.port()), "/", nullptr, "198.51.100.4") == 503);
}

namespace {

// An import's header and the first byte of a body that never comes.
tcp::socket start_import(net::io_context& ioc, const char* from, std::uint16_t port) {
    auto socket = connect_from(ioc, from, port);
    const std::string head =
        "POST /api/sessions/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: 30000000\r\n\r\n{";
    net::write(socket, net::buffer(head));
    return socket;
}

// The answer to a request whose body was not sent, or 0 if none came.
unsigned answer_to(tcp::socket& socket, std::string* code = nullptr) {
    boost::beast::tcp_stream stream(std::move(socket));
    stream.expires_after(5s);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    boost::beast::error_code ec;
    http::read(stream, buffer, res, ec);
    if (ec) return 0;
    if (code) *code = json::parse(res.body(), nullptr, false)["error"]["code"].get<std::string>();
    return res.result_int();
}

// Waits until /metrics says `n` imports are under way.
bool imports_under_way(std::uint16_t port, int n) {
    const std::string line = "\nruche_imports_under_way " + std::to_string(n) + "\n";
    for (int i = 0; i < 500; ++i) {
        if (http_call(port, http::verb::get, "/metrics").body.find(line) != std::string::npos) return true;
        std::this_thread::sleep_for(10ms);  // the server reads headers asynchronously
    }
    return false;
}

}  // namespace

TEST_CASE("imports: one at a time per address, two in all, refused from the header alone") {
    running_server srv;
    net::io_context ioc;
    auto first = start_import(ioc, "127.0.0.2", srv.port());
    REQUIRE(imports_under_way(srv.port(), 1));

    // The same address again: told to wait, before its 30 MB are read.
    auto again = start_import(ioc, "127.0.0.2", srv.port());
    std::string code;
    CHECK(answer_to(again, &code) == 429);
    CHECK(code == "import_in_progress");

    // Another address may, and a third finds the server busy.
    auto second = start_import(ioc, "127.0.0.3", srv.port());
    REQUIRE(imports_under_way(srv.port(), 2));
    auto third = start_import(ioc, "127.0.0.4", srv.port());
    CHECK(answer_to(third, &code) == 503);
    CHECK(code == "busy");

    // An upload that is given up frees its place; a real import then goes through.
    first.close();
    second.close();
    REQUIRE(imports_under_way(srv.port(), 0));
    const auto s = create_session(srv.port());
    const auto exported = http_call(srv.port(), http::verb::get,
                                    "/api/sessions/" + s.session_id + "/minutes.json", {},
                                    s.facilitator_token);
    REQUIRE(exported.status == 200);
    CHECK(http_call(srv.port(), http::verb::post, "/api/sessions/import", exported.body).status == 201);
}

namespace {

// One request with the given header fields (Host included), from 127.0.0.1.
http::response<http::string_body> send_with(std::uint16_t port, http::verb method,
                                            const std::string& target, const http::fields& fields,
                                            const std::string& body = {}) {
    net::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.expires_after(5s);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{method, target, 11};
    for (const auto& f : fields) req.set(f.name_string(), f.value());
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res;
}

http::fields host(const std::string& value) {
    http::fields f;
    f.set(http::field::host, value);
    return f;
}

std::string error_code_of(const http::response<http::string_body>& res) {
    return json::parse(res.body(), nullptr, false)["error"]["code"].get<std::string>();
}

}  // namespace

TEST_CASE("only the web client's published files are served, not its tests or npm files") {
    running_server srv;
    for (const auto* target : {"/", "/index.html", "/board.html", "/js/board.js", "/css/ruche.css",
                               "/i18n/fr.json", "/favicon.svg", "/sw.js", "/j/ABCDEFGHJ", "/tableau"}) {
        INFO(target);
        CHECK(http_call(srv.port(), http::verb::get, target).status == 200);
    }
    for (const auto* target : {"/package-lock.json", "/package.json", "/playwright.config.js",
                               "/README.md", "/tests/helpers.js", "/screenshots/board.png",
                               "/node_modules/jsqr/package.json", "/js/", "/%70ackage.json"}) {
        INFO(target);
        CHECK(http_call(srv.port(), http::verb::get, target).status == 404);
    }
}

TEST_CASE("only the phone's page may use the camera, and it and the board the position, for Ruche's own origin") {
    running_server srv;
    const auto policy = [&](const char* target) {
        return std::string(send_with(srv.port(), http::verb::get, target, host("127.0.0.1"))["Permissions-Policy"]);
    };
    CHECK(policy("/j/ABCDEFGHJ") == "camera=(self), microphone=(), geolocation=(self)");
    CHECK(policy("/phone.html") == "camera=(self), microphone=(), geolocation=(self)");
    CHECK(policy("/tableau") == "camera=(), microphone=(), geolocation=(self)");
    for (const auto* target : {"/", "/rejouer", "/js/phone.js", "/api/join/ABCDEFGHJ"}) {
        INFO(target);
        CHECK(policy(target) == "camera=(), microphone=(), geolocation=()");
    }
}

TEST_CASE("a name the server is not known by is refused (DNS rebinding); addresses are fine") {
    auto cfg = running_server::test_config();
    cfg.public_url = "https://ruche.example.org";
    cfg.allowed_origins = {"https://atelier.example.net"};
    running_server srv(cfg);
    const auto port = std::to_string(srv.port());
    for (const auto& ok : {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                           std::string("ruche.example.org"), std::string("RUCHE.example.org:443"),
                           std::string("atelier.example.net"), std::string("192.168.1.12:8080")}) {
        INFO(ok);
        CHECK(send_with(srv.port(), http::verb::get, "/", host(ok)).result_int() == 200);
    }
    const auto refused = send_with(srv.port(), http::verb::get, "/api/join/ABCDEFGHJ",
                                   host("rebound.attacker.example:" + port));
    CHECK(refused.result_int() == 421);
    CHECK(error_code_of(refused) == "unknown_host");
    // A health check may use any name.
    CHECK(send_with(srv.port(), http::verb::get, "/healthz", host("probe.internal")).result_int() == 200);
}

TEST_CASE("another site's page cannot create sessions or change anything (CSRF)") {
    running_server srv;
    auto fields = host("127.0.0.1:" + std::to_string(srv.port()));
    fields.set(http::field::origin, "http://evil.example");
    fields.set(http::field::content_type, "text/plain");
    const auto forged = send_with(srv.port(), http::verb::post, "/api/sessions", fields,
                                  R"({"title":"Piège"})");
    CHECK(forged.result_int() == 403);
    CHECK(error_code_of(forged) == "forbidden_origin");
    // The server's own pages, and clients that are not browsers, may.
    fields.set(http::field::origin, "http://127.0.0.1:" + std::to_string(srv.port()));
    CHECK(send_with(srv.port(), http::verb::post, "/api/sessions", fields, R"({"title":"A"})")
              .result_int() == 201);
    CHECK(http_call(srv.port(), http::verb::post, "/api/sessions", R"({"title":"B"})").status == 201);
}

TEST_CASE("headers too large are answered 431, not a silent close") {
    running_server srv;
    auto fields = host("127.0.0.1");
    fields.set("X-Padding", std::string(16 * 1024, 'a'));
    const auto res = send_with(srv.port(), http::verb::get, "/", fields);
    CHECK(res.result_int() == 431);
    CHECK(error_code_of(res) == "headers_too_large");
}

TEST_CASE("wrong facilitator tokens count as guesses; the right one is never refused") {
    auto cfg = running_server::test_config();
    cfg.limits.join_failures_per_minute = 3;
    running_server srv(cfg);
    const auto s = create_session(srv.port());
    const std::string target = "/api/sessions/" + s.session_id;
    for (int i = 0; i < 3; ++i) {
        CHECK(http_call(srv.port(), http::verb::get, target, {}, "wrong" + std::to_string(i)).status == 401);
    }
    const auto blocked = http_call(srv.port(), http::verb::get, target, {}, "wrong-again");
    CHECK(blocked.status == 429);
    CHECK(blocked.json_body()["error"]["code"] == "too_many_attempts");
    CHECK(http_call(srv.port(), http::verb::get, target, {}, s.facilitator_token).status == 200);
    // Asking without a token is not a guess.
    CHECK(http_call(srv.port(), http::verb::get, target).status == 401);
}

TEST_CASE("the control socket: a backup on request, refusals that change nothing, closed to others") {
    temp_dir sockets;
    auto cfg = running_server::test_config();
    cfg.control_socket = (sockets.path() / "control.sock").string();
    running_server srv(cfg);
    create_session(srv.port());

    struct stat about {};
    REQUIRE(::stat(cfg.control_socket.c_str(), &about) == 0);
    CHECK(S_ISSOCK(about.st_mode));
    CHECK((about.st_mode & 077) == 0);  // nobody but the server's user

    ruche::server::backup_reply reply;
    REQUIRE_FALSE(ruche::server::ask_for_backup(cfg.control_socket, "relative/backups", 0, reply));
    CHECK_FALSE(reply.ok);
    CHECK(reply.error.find("absolute") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists("relative"));

    const auto backups = (sockets.path() / "backups").string();
    REQUIRE_FALSE(ruche::server::ask_for_backup(cfg.control_socket, backups, 0, reply));
    REQUIRE(reply.ok);
    CHECK(reply.backup.id == 1);
    CHECK(reply.backup.files > 0);

    // Not a request: an error, and the server goes on.
    net::io_context ioc;
    net::local::stream_protocol::socket raw(ioc);
    raw.connect(net::local::stream_protocol::endpoint(cfg.control_socket));
    net::write(raw, net::buffer(std::string("{\"command\": \"rm -rf\"}\n")));
    std::string answer;
    net::read_until(raw, net::dynamic_buffer(answer), '\n');
    CHECK(json::parse(answer)["ok"] == false);
    CHECK(http_call(srv.port(), http::verb::get, "/healthz").status == 200);

    srv.stop();
    CHECK_FALSE(std::filesystem::exists(cfg.control_socket));
    CHECK(ruche::server::ask_for_backup(cfg.control_socket, backups, 0, reply));  // nobody answers now
}
