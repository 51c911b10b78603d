// Photos over a real server: upload with a participant's or the
// facilitator's token, re-encoded without metadata; served only to those who
// may see them, with caching headers; refusals that store nothing; the bytes
// gone from disk once the session is deleted.

#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>

#include "file_scan.hpp"
#include "photo_samples.hpp"
#include "server_harness.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace ruche::testing;
using tcp = net::ip::tcp;

struct reply {
    unsigned status = 0;
    std::string body;
    http::fields headers;
    json json_body() const { return json::parse(body, nullptr, false); }
};

// One request with any body and headers. The server may answer before it
// has read the body (a refused upload) and close: a failed write is fine as
// long as an answer came.
reply call(std::uint16_t port, http::verb method, const std::string& target, const std::string& body = {},
           const std::string& bearer = {}, const std::string& if_none_match = {}) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(10s);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
    req.set(http::field::content_type, "image/jpeg");  // whatever the body is: never trusted
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    http::write(stream, req, ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res, ec);
    REQUIRE((!ec || res.result_int() != 0));
    reply out;
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& field : res) out.headers.set(field.name_string(), field.value());
    return out;
}

std::string photos_of(const created& s) {
    return "/api/sessions/" + s.session_id + "/photos";
}

std::string upload(std::uint16_t port, const created& s, const std::string& bytes, const std::string& token) {
    const auto r = call(port, http::verb::post, photos_of(s), bytes, token);
    INFO(r.body);
    REQUIRE(r.status == 201);
    const auto id = r.json_body().at("photo").get<std::string>();
    REQUIRE(!id.empty());
    return id;
}

std::string error_code_of(const reply& r) {
    const auto j = r.json_body();
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

struct participant {
    ws_client ws;
    std::string id;
    std::string token;
    participant(std::uint16_t port, const created& s, const std::string& name) : ws(port) {
        const auto welcome = ws.hello_participant(s.join_code, name);
        id = welcome.at("participant_id");
        token = welcome.at("participant_token");
    }
};

}  // namespace

TEST_CASE("a phone's photo comes back without EXIF or GPS, upright and shrunk, with caching headers",
          "[photos]") {
    running_server srv;
    const auto s = create_session(srv.port());
    participant anne(srv.port(), s, "Anne");
    const auto original = phone_photo(2400, 1200);  // on its side, orientation 6, GPS, model
    REQUIRE(has_metadata(original));

    const auto start = std::chrono::steady_clock::now();
    const auto id = upload(srv.port(), s, original, anne.token);
    WARN("upload of a 2400 x 1200 photo (" << original.size() << " bytes): "
         << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()
         << " ms");

    const auto full = call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, anne.token);
    REQUIRE(full.status == 200);
    CHECK(full.headers[http::field::content_type] == "image/jpeg");
    CHECK(full.headers["X-Content-Type-Options"] == "nosniff");
    CHECK(full.headers[http::field::cache_control].starts_with("private, max-age="));
    const std::string etag(full.headers[http::field::etag]);
    CHECK_FALSE(etag.empty());
    CHECK_FALSE(has_metadata(full.body));
    CHECK(image_size(full.body) == std::pair{800, 1600});

    const auto thumb = call(srv.port(), http::verb::get, photos_of(s) + "/" + id + "/thumb", {}, anne.token);
    REQUIRE(thumb.status == 200);
    CHECK_FALSE(has_metadata(thumb.body));
    CHECK(image_size(thumb.body) == std::pair{160, 320});
    CHECK(thumb.headers[http::field::etag] != etag);

    // Asked again with its ETag: nothing to send.
    const auto again = call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, anne.token, etag);
    CHECK(again.status == 304);
    CHECK(again.body.empty());

    // The facilitator sees it, and may upload too.
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, s.facilitator_token).status == 200);
    const auto by_facilitator = upload(srv.port(), s, sample_image(640, 480, ".png"), s.facilitator_token);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + by_facilitator + "/thumb", {},
               s.facilitator_token)
              .status == 200);
}

TEST_CASE("photo refusals: not an image, too large, no token, another session's token, not yours",
          "[photos]") {
    running_server srv;
    const auto s = create_session(srv.port());
    const auto other = create_session(srv.port(), {{"title", "Autre"}});
    participant anne(srv.port(), s, "Anne");
    participant bruno(srv.port(), s, "Bruno");
    participant carla(srv.port(), other, "Carla");

    // A text file, whatever its name or Content-Type says.
    const std::string text = "NOT-A-PHOTO-MARKER: this is a text file saved as photo.jpg";
    auto r = call(srv.port(), http::verb::post, photos_of(s) + "?name=photo.jpg", text, anne.token);
    CHECK(r.status == 415);
    CHECK(error_code_of(r) == "not_an_image");
    // Says JPEG by its first bytes, is not one.
    r = call(srv.port(), http::verb::post, photos_of(s), "\xFF\xD8\xFF\xE0" + text, anne.token);
    CHECK(r.status == 400);
    CHECK(error_code_of(r) == "not_an_image");

    // 3 MB + 1: refused from its header.
    const std::string huge(3 * 1024 * 1024 + 1, 'x');
    r = call(srv.port(), http::verb::post, photos_of(s), huge, anne.token);
    CHECK(r.status == 413);
    CHECK(error_code_of(r) == "too_large");

    const auto jpeg = sample_image(300, 200);
    r = call(srv.port(), http::verb::post, photos_of(s), jpeg);
    CHECK(r.status == 401);
    CHECK(error_code_of(r) == "invalid_token");
    r = call(srv.port(), http::verb::post, photos_of(s), jpeg, carla.token);
    CHECK(r.status == 401);
    r = call(srv.port(), http::verb::post, photos_of(s), jpeg, other.facilitator_token);
    CHECK(r.status == 401);
    r = call(srv.port(), http::verb::post, "/api/sessions/zzzzzzzzzzzzzzzz/photos", jpeg, anne.token);
    CHECK(r.status == 404);

    // Nothing of the refused bodies was kept.
    CHECK_FALSE(found_in_files(srv.data().path(), "NOT-A-PHOTO-MARKER"));

    // Anne's photo: not for Bruno, nor for another session's people.
    const auto id = upload(srv.port(), s, jpeg, anne.token);
    r = call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, bruno.token);
    CHECK(r.status == 403);
    CHECK(error_code_of(r) == "not_allowed");
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + id + "/thumb", {}, bruno.token).status == 403);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, carla.token).status == 401);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, other.facilitator_token).status == 401);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + id).status == 401);
    // Another session does not have it, even for its own facilitator.
    CHECK(call(srv.port(), http::verb::get, photos_of(other) + "/" + id, {}, other.facilitator_token).status ==
          404);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/nosuchphoto", {}, anne.token).status == 404);
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/NOT..valid", {}, anne.token).status == 404);
    CHECK(call(srv.port(), http::verb::delete_, photos_of(s) + "/" + id, {}, anne.token).status == 405);
}

TEST_CASE("a deleted session's photos are gone from the disk", "[photos]") {
    running_server srv;
    const auto s = create_session(srv.port());
    const auto kept = create_session(srv.port(), {{"title", "Gardée"}});
    participant anne(srv.port(), s, "Anne");
    participant bruno(srv.port(), kept, "Bruno");
    const auto id = upload(srv.port(), s, phone_photo(1200, 900), anne.token);
    const auto kept_id = upload(srv.port(), kept, sample_image(1000, 700), bruno.token);
    const auto full = call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, anne.token);
    const auto thumb = call(srv.port(), http::verb::get, photos_of(s) + "/" + id + "/thumb", {}, anne.token);
    const auto kept_full = call(srv.port(), http::verb::get, photos_of(kept) + "/" + kept_id, {}, bruno.token);
    REQUIRE(full.status == 200);
    REQUIRE(thumb.status == 200);
    REQUIRE(kept_full.status == 200);
    // Pieces from the middle of the image data: on disk as stored.
    const auto piece = [](const std::string& jpeg) { return jpeg.substr(jpeg.size() / 2, 64); };
    REQUIRE(found_in_files(srv.data().path(), piece(full.body)));
    REQUIRE(found_in_files(srv.data().path(), piece(thumb.body)));

    const auto deleted =
        call(srv.port(), http::verb::delete_, "/api/sessions/" + s.session_id, {}, s.facilitator_token);
    REQUIRE(deleted.status == 204);
    CHECK_FALSE(found_in_files(srv.data().path(), piece(full.body)));
    CHECK_FALSE(found_in_files(srv.data().path(), piece(thumb.body)));
    // The other session's photo is still there, and still served.
    CHECK(found_in_files(srv.data().path(), piece(kept_full.body)));
    const auto still = call(srv.port(), http::verb::get, photos_of(kept) + "/" + kept_id, {}, bruno.token);
    CHECK(still.status == 200);
    CHECK(still.body == kept_full.body);
}

TEST_CASE("a note's photo over the WebSocket: the room checks whose it is; served as the note is seen; hidden by the facilitator",
          "[photos]") {
    temp_dir data;
    std::string session_id, anne_token, bruno_token, anne_photo, note_id;
    created s;
    {
        running_server srv(running_server::test_config(), &data);
        s = create_session(srv.port(), {{"title", "Diagnostic en marchant"}});  // private writing
        ws_client facilitator(srv.port());
        facilitator.hello_facilitator(s.facilitator_token);
        participant anne(srv.port(), s, "Anne");
        participant bruno(srv.port(), s, "Bruno");
        anne_token = anne.token;
        bruno_token = bruno.token;
        const auto other = create_session(srv.port(), {{"title", "Autre"}});
        const auto foreign = upload(srv.port(), other, sample_image(200, 100), other.facilitator_token);

        anne_photo = upload(srv.port(), s, phone_photo(800, 600), anne.token);
        const auto bruno_photo = upload(srv.port(), s, sample_image(300, 300), bruno.token);
        // Not hers, not this session's, no such photo: refused, nothing applied.
        const auto note = [](const std::string& photo) {
            return json{{"kind", "note.add"}, {"text", "Ce banc est cassé"}, {"color", "yellow"}, {"photo", photo}};
        };
        auto refused = anne.ws.op("a-1", note(bruno_photo));
        CHECK(refused["type"] == "error");
        CHECK(refused["code"] == "unknown_photo");
        CHECK(anne.ws.op("a-2", note(foreign))["code"] == "unknown_photo");
        CHECK(anne.ws.op("a-3", note("nosuchphoto0000a"))["code"] == "unknown_photo");
        // Hers: taken at once after its upload.
        const auto taken = anne.ws.op("a-4", note(anne_photo));
        REQUIRE(taken["type"] == "ack");
        note_id = "n" + taken["seq"].dump();
        // A facilitator may not attach a participant's photo either; its own, yes.
        CHECK(facilitator.op("f-1", {{"kind", "note.photo"}, {"note", note_id}, {"photo", bruno_photo}})["code"] ==
              "unknown_photo");

        // Private writing: Bruno does not see Anne's note, nor its photo.
        CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + anne_photo, {}, bruno.token).status == 403);
        // Revealed: the photo follows the note.
        REQUIRE(facilitator.op("f-2", {{"kind", "phase.set"}, {"phase", "reveal"}})["type"] == "ack");
        const auto shown = call(srv.port(), http::verb::get, photos_of(s) + "/" + anne_photo + "/thumb", {}, bruno.token);
        CHECK(shown.status == 200);
        CHECK_FALSE(has_metadata(shown.body));
        // Hidden by the facilitator (a face): Bruno no longer gets it; Anne, its uploader, still does.
        REQUIRE(facilitator.op("f-3", {{"kind", "note.photo"}, {"note", note_id}, {"photo", nullptr}})["type"] ==
                "ack");
        const auto hidden = bruno.ws.until(
            [](const json& m) { return m["type"] == "event" && m["op"]["kind"] == "note.photo"; });
        REQUIRE(hidden);
        CHECK((*hidden)["op"]["photo"].is_null());
        CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + anne_photo, {}, bruno.token).status == 403);
        CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + anne_photo, {}, anne.token).status == 200);
    }
    // After a restart, the room knows the session's photos again (from storage).
    running_server srv(running_server::test_config(), &data);
    ws_client anne(srv.port());
    anne.send({{"type", "hello"}, {"join_code", s.join_code}, {"participant_token", anne_token}});
    anne.expect("welcome");
    CHECK(anne.op("a-5", {{"kind", "note.photo"}, {"note", note_id}, {"photo", anne_photo}})["type"] == "ack");
    CHECK(call(srv.port(), http::verb::get, photos_of(s) + "/" + anne_photo, {}, bruno_token).status == 200);
}

TEST_CASE("a 12-megapixel phone photo of about 2 MB is taken in well under a few seconds", "[photos]") {
    running_server srv;
    const auto s = create_session(srv.port());
    participant anne(srv.port(), s, "Anne");
    auto photo = noisy_photo(4000, 3000, 6.0, 85);
    photo = photo.substr(0, 2) + exif_segment() + photo.substr(2);
    INFO(photo.size() << " bytes");
    REQUIRE(photo.size() > 1'000'000);
    REQUIRE(photo.size() <= 3 * 1024 * 1024);
    const auto start = std::chrono::steady_clock::now();
    const auto id = upload(srv.port(), s, photo, anne.token);
    const auto took = std::chrono::steady_clock::now() - start;
    WARN("upload of a 12 MP photo (" << photo.size() << " bytes) over loopback: "
         << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    CHECK(took < std::chrono::seconds(5));
    const auto full = call(srv.port(), http::verb::get, photos_of(s) + "/" + id, {}, anne.token);
    REQUIRE(full.status == 200);
    CHECK(image_size(full.body) == std::pair{1200, 1600});
    CHECK_FALSE(has_metadata(full.body));
    WARN("kept: " << full.body.size() << " bytes");
}
