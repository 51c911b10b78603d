// Retention over real sockets, with a clock the test moves: sessions are
// erased once their last activity is older than their period (the session's
// own, at most the server's), with nothing of them left in the database
// files; the minutes say when.

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "file_scan.hpp"
#include "server_harness.hpp"

using namespace ruche::testing;
namespace http = boost::beast::http;

namespace {

constexpr auto day = std::chrono::hours(24);

// The server's wall clock, moved forward by the test.
struct moved_clock {
    std::shared_ptr<std::atomic<std::int64_t>> ahead = std::make_shared<std::atomic<std::int64_t>>(0);
    void advance(std::chrono::hours by) { *ahead += std::chrono::duration_cast<std::chrono::milliseconds>(by).count(); }
    std::function<std::chrono::system_clock::time_point()> function() const {
        return [ahead = ahead] { return std::chrono::system_clock::now() + std::chrono::milliseconds(ahead->load()); };
    }
};

void write_note(std::uint16_t port, const created& s, const std::string& op_id, const std::string& text) {
    ws_client phone(port);
    phone.hello_participant(s.join_code);
    const auto ack = phone.op(op_id, {{"kind", "note.add"}, {"text", text}, {"color", "yellow"}});
    REQUIRE(ack["type"] == "ack");
}

bool exists(std::uint16_t port, const created& s) {
    return http_call(port, http::verb::get, "/api/join/" + s.join_code).status == 200;
}

}  // namespace

TEST_CASE("retention erases sessions after their last activity, leaving nothing in the files") {
    moved_clock clock;
    auto cfg = running_server::test_config();
    cfg.clock = clock.function();
    cfg.retention_days = 30;
    running_server srv(cfg);
    const auto port = srv.port();

    // The server's period by default; a facilitator may ask for less, not more.
    const auto kept_30 = create_session(port, {{"title", "Atelier"}, {"private_writing", false}});
    const auto kept_7 = create_session(port, {{"title", "Court"}, {"retention_days", 7}, {"private_writing", false}});
    const auto asked_100 = create_session(port, {{"title", "Long"}, {"retention_days", 100}});
    const auto busy = create_session(port, {{"title", "Coordination"}, {"private_writing", false}});
    {
        ws_client board(port);
        const auto welcome = board.hello_facilitator(asked_100.facilitator_token);
        CHECK(welcome["state"]["settings"]["retention_days"] == 30);
    }
    write_note(port, kept_30, "c1", "Un jardin partagé rue des Tilleuls");
    write_note(port, kept_7, "c1", "Une navette pour le marché du jeudi");

    // The minutes say when the session goes.
    const auto minutes = http_call(port, http::verb::get,
                                   "/api/sessions/" + kept_7.session_id + "/minutes.md", {},
                                   kept_7.facilitator_token);
    REQUIRE(minutes.status == 200);
    CHECK(minutes.body.find("**Conservation :** effacement automatique le") != std::string::npos);
    CHECK(minutes.body.find("7 jours après la dernière activité") != std::string::npos);

    CHECK(srv.instance().erase_expired() == 0);
    clock.advance(8 * day);
    CHECK(srv.instance().erase_expired() == 1);  // the 7-day one
    CHECK_FALSE(exists(port, kept_7));
    CHECK(exists(port, kept_30));

    // Activity moves the date: a note at day 20 keeps that session past day 31.
    clock.advance(12 * day);
    write_note(port, busy, "c1", "Réunion de suivi en janvier");
    clock.advance(11 * day);
    CHECK(srv.instance().erase_expired() == 2);  // 30 days without activity
    CHECK_FALSE(exists(port, kept_30));
    CHECK_FALSE(exists(port, asked_100));
    CHECK(exists(port, busy));
    CHECK(http_call(port, http::verb::get, "/api/sessions/" + kept_30.session_id, {}, kept_30.facilitator_token)
              .status == 401);
    ws_client late(port);
    late.send({{"type", "hello"}, {"facilitator_token", kept_30.facilitator_token}});
    CHECK(late.expect("error")["code"] == "invalid_token");

    // Compacted away: no file of the database holds the erased notes, while
    // the session still kept does hold its own.
    srv.stop();
    std::vector<std::string> files;
    CHECK_FALSE(found_in_files(srv.data().path(), "Un jardin partagé rue des Tilleuls", &files));
    CHECK_FALSE(found_in_files(srv.data().path(), "Une navette pour le marché du jeudi", &files));
    CHECK(found_in_files(srv.data().path(), "Réunion de suivi en janvier"));
}

TEST_CASE("with no period on the server, only sessions that asked for one are erased") {
    moved_clock clock;
    auto cfg = running_server::test_config();
    cfg.clock = clock.function();
    cfg.retention_days = 0;  // kept until deleted
    running_server srv(cfg);
    const auto forever = create_session(srv.port(), {{"title", "Toujours"}});
    const auto short_lived = create_session(srv.port(), {{"title", "Un an"}, {"retention_days", 365}});
    clock.advance(366 * day);
    CHECK(srv.instance().erase_expired() == 1);
    CHECK(exists(srv.port(), forever));
    CHECK_FALSE(exists(srv.port(), short_lived));
}
