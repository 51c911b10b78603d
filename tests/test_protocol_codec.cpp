#include <catch2/catch.hpp>

#include "ruche/wire/codec.hpp"
#include "ruche/wire/messages.hpp"
#include "ruche/wire/record.hpp"
#include "ruche/wire/wire_errc.hpp"
#include "every_op.hpp"

using namespace ruche::protocol;
using ruche::testing::every_op;

namespace {

rejection reject_client(const std::string& text) {
    auto j = parse_json(text);
    if (!j) return j.error();
    auto decoded = decode_op(*j, origin::client);
    REQUIRE_FALSE(decoded.ok());
    return decoded.error();
}

}  // namespace

TEST_CASE("every op survives encode then decode from the log") {
    for (const auto& o : every_op()) {
        INFO(encode_op(o).dump());
        auto decoded = decode_op(encode_op(o), origin::log);
        REQUIRE(decoded.ok());
        CHECK(*decoded == o);
    }
}

TEST_CASE("stamped ops survive the log's byte format") {
    std::uint64_t seq = 1;
    for (const auto& o : every_op()) {
        stamped_op s{seq++, 1'764'000'000'000 + static_cast<std::int64_t>(seq), "p3", o};
        const std::string bytes = serialize_stamped(s);
        auto back = parse_stamped(bytes);
        REQUIRE(back.ok());
        CHECK(*back == s);
        CHECK(serialize_stamped(*back) == bytes);
    }
}

TEST_CASE("client ops decode without server-assigned ids") {
    auto j = parse_json(
        R"({"kind":"note.add","text":"Plus de bancs","color":"green","x":10.4,"y":-3.6})");
    REQUIRE(j.ok());
    auto decoded = decode_op(*j, origin::client);
    REQUIRE(decoded.ok());
    const auto& add = std::get<ops::note_add>(*decoded);
    CHECK(add.note.empty());
    CHECK(add.text == "Plus de bancs");
    CHECK(add.color == color::green);
    CHECK(add.at == point{10, -4});  // fractional positions are rounded once, at decode

    auto theme = decode_op(*parse_json(R"({"kind":"theme.create","title":"Mobilité","x":0,"y":0})"),
                           origin::client);
    REQUIRE(theme.ok());
    auto group = decode_op(*parse_json(R"({"kind":"note.group","note":"n1"})"), origin::client);
    REQUIRE(group.ok());
    CHECK_FALSE(std::get<ops::note_group>(*group).theme.has_value());
}

TEST_CASE("a walk's places are rounded to about a metre, and its categories are short and each once") {
    auto add = decode_op(*parse_json(R"({"kind":"note.add","text":"Banc cassé","color":"yellow",
        "stop":"s4","category":1,"location":{"lat":48.8566149,"lon":-2.3522251,"accuracy":12}})"),
                         origin::client);
    REQUIRE(add.ok());
    const auto& note = std::get<ops::note_add>(*add);
    CHECK(note.stop == "s4");
    CHECK(note.category == 1u);
    CHECK(note.location == geo_point{4885661, -235223, 12});
    CHECK(encode_op(note)["location"].dump() == R"({"accuracy":12,"lat":48.85661,"lon":-2.35223})");
    // No accuracy: not known (a typed place); none is written back either.
    auto stop = decode_op(*parse_json(R"({"kind":"stop.add","name":"Place du marché","place":{"lat":-90,"lon":180}})"),
                          origin::client);
    REQUIRE(stop.ok());
    CHECK(std::get<ops::stop_add>(*stop).place == geo_point{-9000000, 18000000, 0});
    CHECK(std::get<ops::stop_add>(*stop).question.empty());
    CHECK(encode_op(*stop)["place"].dump() == R"({"lat":-90.0,"lon":180.0})");

    const auto code = [](const std::string& text) { return std::string(code_name(reject_client(text).code)); };
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":90.5,"lon":0}})") == "out_of_range");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":0,"lon":-180.01}})") == "out_of_range");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":"48.8","lon":2.3}})") == "wrong_type");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":48.8}})") == "missing_field");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":48.8,"lon":2.3,"altitude":35}})") == "unknown_field");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":[48.8,2.3]})") == "wrong_type");
    CHECK(code(R"({"kind":"stop.add","name":"A","place":{"lat":1,"lon":2,"accuracy":-3}})") == "out_of_range");
    CHECK(code(R"({"kind":"stop.add","stop":"s1","name":"A"})") == "unknown_field");  // the server names stops
    CHECK(code(R"({"kind":"note.add","text":"x","color":"pink","category":8})") == "out_of_range");
    CHECK(code(R"({"kind":"note.add","text":"x","color":"pink","stop":null})") == "wrong_type");
    CHECK(code(R"({"kind":"settings.set","categories":["Atout","Atout"]})") == "duplicate_id");
    CHECK(code(R"({"kind":"settings.set","categories":["Atout",""]})") == "empty_text");
    CHECK(code(R"({"kind":"settings.set","categories":["a","b","c","d","e","f","g","h","i"]})") == "out_of_range");
    CHECK(code(R"({"kind":"settings.set","categories":"Atout"})") == "wrong_type");
    const std::string long_label(max_category_chars + 1, 'c');
    CHECK(code(R"({"kind":"settings.set","categories":[")" + long_label + R"("]})") == "too_long");
}

TEST_CASE("every rejection path of the codec has its code") {
    struct row {
        const char* name;
        std::string input;
        errc expected;
    };
    const std::string long_note(max_note_chars + 1, 'a');
    const std::string long_title(max_title_chars + 1, 'b');
    const std::vector<row> rows = {
        {"not JSON", "{\"kind\":", errc::not_json},
        {"invalid UTF-8 is not JSON",
         "{\"kind\":\"note.add\",\"text\":\"\xC3\x28\",\"color\":\"pink\",\"x\":0,\"y\":0}",
         errc::not_json},
        {"not an object", "[1,2,3]", errc::not_object},
        {"no kind", R"({"text":"x"})", errc::missing_field},
        {"kind not a string", R"({"kind":7})", errc::wrong_type},
        {"unknown kind", R"({"kind":"note.explode","note":"n1"})", errc::unknown_kind},
        {"server-only kind",
         R"({"kind":"participant.join","participant":"p1","role":"participant","name":""})",
         errc::server_only_kind},
        {"server-only leave", R"({"kind":"participant.leave","participant":"p1"})",
         errc::server_only_kind},
        {"missing text", R"({"kind":"note.add","color":"pink","x":0,"y":0})", errc::missing_field},
        {"text not a string", R"({"kind":"note.add","text":12,"color":"pink","x":0,"y":0})",
         errc::wrong_type},
        {"empty text", R"({"kind":"note.add","text":"   \n ","color":"pink","x":0,"y":0})",
         errc::empty_text},
        {"control character", R"({"kind":"note.add","text":"a\u0007b","color":"pink","x":0,"y":0})",
         errc::control_character},
        {"C1 control character",
         "{\"kind\":\"note.add\",\"text\":\"a\u0085b\",\"color\":\"pink\",\"x\":0,\"y\":0}",
         errc::control_character},
        {"line break in a title", R"({"kind":"theme.create","title":"a\nb","x":0,"y":0})",
         errc::control_character},
        {"note too long",
         R"({"kind":"note.add","text":")" + long_note + R"(","color":"pink","x":0,"y":0})",
         errc::too_long},
        {"title too long",
         R"({"kind":"theme.rename","theme":"t1","title":")" + long_title + R"("})", errc::too_long},
        {"unknown color", R"({"kind":"note.add","text":"x","color":"rouge","x":0,"y":0})",
         errc::unknown_color},
        {"coordinate too far", R"({"kind":"note.move","note":"n1","x":1000001,"y":0})",
         errc::out_of_range},
        {"coordinate not a number", R"({"kind":"note.move","note":"n1","x":"12","y":0})",
         errc::wrong_type},
        {"client sets a note id",
         R"({"kind":"note.add","note":"n9","text":"x","color":"pink","x":0,"y":0})",
         errc::unknown_field},
        {"client sets a theme id",
         R"({"kind":"theme.create","theme":"t9","title":"x","x":0,"y":0})", errc::unknown_field},
        {"client places the notes of a tidied board",
         R"({"kind":"board.arrange","notes":[{"note":"n1","x":0,"y":0}]})", errc::unknown_field},
        {"theme with half a position", R"({"kind":"theme.create","title":"x","x":0})",
         errc::missing_field},
        {"unknown field", R"({"kind":"note.delete","note":"n1","force":true})",
         errc::unknown_field},
        {"malformed id", R"({"kind":"note.delete","note":"n 1"})", errc::invalid_id},
        {"empty id", R"({"kind":"note.delete","note":""})", errc::invalid_id},
        {"vote without target", R"({"kind":"vote.add"})", errc::missing_field},
        {"vote with two targets", R"({"kind":"vote.add","note":"n1","theme":"t1"})",
         errc::unknown_field},
        {"unknown phase", R"({"kind":"phase.set","phase":"debate"})", errc::unknown_phase},
        {"lock not a bool", R"({"kind":"board.lock","locked":"yes"})", errc::wrong_type},
        {"timer zero", R"({"kind":"timer.start","seconds":0})", errc::out_of_range},
        {"timer negative", R"({"kind":"timer.start","seconds":-5})", errc::out_of_range},
        {"timer fractional", R"({"kind":"timer.start","seconds":1.5})", errc::wrong_type},
        {"empty settings", R"({"kind":"settings.set"})", errc::missing_field},
        {"budget too large", R"({"kind":"settings.set","vote_budget":101})", errc::out_of_range},
        {"note length zero", R"({"kind":"settings.set","note_max_length":0})", errc::out_of_range},
        {"empty profile list", R"({"kind":"settings.set","profiles":[]})", errc::wrong_type},
        {"unknown profile in list", R"({"kind":"settings.set","profiles":["habitant","pirate"]})",
         errc::unknown_profile},
        {"unknown profile on rename",
         R"({"kind":"participant.rename","name":"Jo","profile":"pirate"})", errc::unknown_profile},
        {"name too long",
         R"({"kind":"participant.rename","name":")" + std::string(max_name_chars + 1, 'n') +
             R"("})",
         errc::too_long},
    };
    for (const auto& r : rows) {
        DYNAMIC_SECTION(r.name) {
            const rejection why = reject_client(r.input);
            CHECK(code_name(why.code) == code_name(r.expected));
            CHECK_FALSE(why.message().empty());
        }
    }
}

TEST_CASE("text length counts characters, not bytes") {
    std::string french;
    for (std::size_t i = 0; i < max_title_chars; ++i) french += "é";  // 2 bytes each
    auto ok = decode_op(json{{"kind", "theme.rename"}, {"theme", "t1"}, {"title", french}},
                        origin::client);
    CHECK(ok.ok());
    auto too_long = decode_op(
        json{{"kind", "theme.rename"}, {"theme", "t1"}, {"title", french + "é"}}, origin::client);
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.error().code == errc::too_long);
}

TEST_CASE("strings built in code are checked for UTF-8 too") {
    for (const std::string& bad : {std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                                   std::string("\xF4\x90\x80\x80"), std::string("abc\xE2\x82")}) {
        json j = {{"kind", "note.edit"}, {"note", "n1"}, {"text", bad}};
        auto decoded = decode_op(j, origin::client);
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().code == errc::invalid_utf8);
    }
}

TEST_CASE("log records must carry what the server stamps") {
    CHECK(decode_op(*parse_json(R"({"kind":"note.add","text":"x","color":"pink","x":0,"y":0})"),
                    origin::log)
              .error()
              .code == errc::missing_field);
    auto no_seq = parse_stamped(R"({"time":1,"by":"p1","op":{"kind":"timer.stop"}})");
    REQUIRE_FALSE(no_seq.ok());
    CHECK(no_seq.error().code == errc::missing_field);
    auto zero_seq = parse_stamped(R"({"seq":0,"time":1,"by":"p1","op":{"kind":"timer.stop"}})");
    REQUIRE_FALSE(zero_seq.ok());
    CHECK(zero_seq.error().code == errc::out_of_range);
    auto float_time = parse_stamped(R"({"seq":1,"time":1.5,"by":"p1","op":{"kind":"timer.stop"}})");
    REQUIRE_FALSE(float_time.ok());
    CHECK(float_time.error().code == errc::wrong_type);
}

TEST_CASE("error details quote client input briefly and as valid UTF-8") {
    const std::string kind = "note." + std::string(100, 'x') + "é";
    auto decoded = decode_op(json{{"kind", kind}}, origin::client);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().detail.size() < 50);
    CHECK_NOTHROW(json(decoded.error().message()).dump());
}

TEST_CASE("a note's photo is an id, given with note.add or by note.photo, detached with null") {
    auto add = decode_op(*parse_json(R"({"kind":"note.add","text":"Banc cassé","color":"yellow",
        "photo":"k3v9q2m8x1c7b4n6"})"),
                         origin::client);
    REQUIRE(add.ok());
    CHECK(std::get<ops::note_add>(*add).photo == "k3v9q2m8x1c7b4n6");
    CHECK(encode_op(*add)["photo"] == "k3v9q2m8x1c7b4n6");
    // Without one, the key is not written at all.
    auto plain = decode_op(*parse_json(R"({"kind":"note.add","text":"Banc","color":"yellow"})"), origin::client);
    REQUIRE(plain.ok());
    CHECK_FALSE(encode_op(*plain).contains("photo"));
    auto detach = decode_op(*parse_json(R"({"kind":"note.photo","note":"n1","photo":null})"), origin::client);
    REQUIRE(detach.ok());
    CHECK(std::get<ops::note_photo>(*detach) == ops::note_photo{"n1", std::nullopt});
    CHECK(encode_op(*detach).dump() == R"({"kind":"note.photo","note":"n1","photo":null})");
    // As for note.stop, an absent `photo` is null.
    auto absent = decode_op(*parse_json(R"({"kind":"note.photo","note":"n1"})"), origin::client);
    REQUIRE(absent.ok());
    CHECK(*absent == *detach);

    const auto code = [](const std::string& text) { return std::string(code_name(reject_client(text).code)); };
    CHECK(code(R"({"kind":"note.add","text":"x","color":"pink","photo":12})") == "wrong_type");
    CHECK(code(R"({"kind":"note.add","text":"x","color":"pink","photo":null})") == "wrong_type");
    CHECK(code(R"({"kind":"note.photo","photo":null})") == "missing_field");
    CHECK(code(R"({"kind":"note.photo","note":"n1","photo":"a","extra":1})") == "unknown_field");
}

TEST_CASE("binary records round-trip every op and read the JSON records of earlier versions") {
    std::uint64_t seq = 1;
    for (const auto& o : every_op()) {
        const stamped_op s{seq++, -5 + static_cast<std::int64_t>(seq) * 1'764'000'000'000, "p3", o};
        const std::string bytes = encode_record(s);
        auto back = decode_record(bytes);
        REQUIRE(back.ok());
        CHECK(*back == s);
        auto from_json = decode_record(serialize_stamped(s));
        REQUIRE(from_json.ok());
        CHECK(*from_json == s);
    }
}

TEST_CASE("corrupt binary records are refused, never misread") {
    const stamped_op s{42, 1'764'000'000'000, "p7",
                       ops::settings_set{"Atelier", "Question ?", 3u, true, 280u,
                                         std::vector<profile>{profile::habitant, profile::elu},
                                         "America/Cayenne", true, std::nullopt, std::nullopt}};
    const std::string bytes = encode_record(s);
    // Every truncation, and every single-byte change, is either refused or
    // decodes to a well-formed op (never a crash, never reading past the end).
    // Four truncations are records of their own: the same op written before
    // settings had categories, before they had a retention period, before
    // they had hidden votes, and before they had a time zone, which older
    // logs hold.
    const std::size_t before_categories_size = bytes.size() - 1;  // no categories marker
    const std::size_t before_retention_size = bytes.size() - 2;   // nor a retention marker
    stamped_op before_hidden = s;
    std::get<ops::settings_set>(before_hidden.op).hidden_votes.reset();
    const std::size_t before_hidden_size = encode_record(before_hidden).size() - 3;  // nor its own
    stamped_op older = before_hidden;
    std::get<ops::settings_set>(older.op).time_zone.reset();
    const std::size_t older_size = encode_record(older).size() - 4;  // without the four markers
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto r = decode_record(std::string_view(bytes).substr(0, n));
        if (n == older_size) {
            REQUIRE(r.ok());
            CHECK(*r == older);
        } else if (n == before_categories_size) {
            REQUIRE(r.ok());
            CHECK(*r == s);
        } else if (n == before_retention_size) {
            REQUIRE(r.ok());
            CHECK(*r == s);
        } else if (n == before_hidden_size) {
            REQUIRE(r.ok());
            CHECK(*r == before_hidden);
        } else {
            CHECK_FALSE(r.ok());
        }
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (int delta : {1, 0x40, 0x80, 0xFF}) {
            std::string changed = bytes;
            changed[i] = static_cast<char>(changed[i] + delta);
            auto r = decode_record(changed);
            if (r.ok()) CHECK_NOTHROW(serialize_stamped(*r));
        }
    }
    CHECK_FALSE(decode_record(bytes + "x").ok());
    CHECK_FALSE(decode_record("").ok());
    CHECK_FALSE(decode_record("\x02").ok());
}

TEST_CASE("hello may ask for several messages per frame, with a boolean") {
    const auto asked = decode_client_message(R"({"type":"hello","join_code":"ABC","lines":true})");
    const auto* message = std::get_if<client_message>(&asked);
    REQUIRE(message);
    CHECK(std::get<hello>(*message).lines);

    const auto silent = decode_client_message(R"({"type":"hello","join_code":"ABC"})");
    CHECK_FALSE(std::get<hello>(std::get<client_message>(silent)).lines);

    const auto wrong = decode_client_message(R"({"type":"hello","join_code":"ABC","lines":"yes"})");
    const auto* refused = std::get_if<message_rejection>(&wrong);
    REQUIRE(refused);
    CHECK(refused->why.code == errc::wrong_type);
}

TEST_CASE("the board's and the wire's codes have their own categories and one way to be named") {
    const std::error_code board_code = errc::unknown_note;
    const std::error_code wire_code = wire_errc::rate_limited;
    CHECK(board_code.category() != wire_code.category());
    CHECK(code_name(board_code) == "unknown_note");
    CHECK(code_name(wire_code) == "rate_limited");
    CHECK(code_name(std::make_error_code(std::errc::io_error)) == "unknown_error");
    const rejection why{wire_errc::storage_unavailable, {}};
    const json sent = json::parse(error_message(why, "c1"));
    CHECK(sent["code"] == "storage_unavailable");
    CHECK(sent["message"] == "the operation could not be saved, try again");
}
