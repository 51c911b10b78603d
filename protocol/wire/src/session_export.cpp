// The export file of a session, which is also what an import reads: the log
// and the state it folds into. Reading one back trusts nothing: every op is
// decoded strictly, the log is folded again, and the result must serialise
// exactly as the state the file carries.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ruche/wire/session_export.hpp"

#include "ruche/board/fold.hpp"
#include "ruche/wire/board_json.hpp"

namespace ruche::protocol {

json session_export(const board& final_state, const std::vector<stamped_op>& log) {
    json ops = json::array();
    for (const auto& s : log) ops.push_back(encode_stamped(s));
    return {{"format", session_export_format},
            {"version", session_export_version},
            {"log", std::move(ops)},
            {"state", to_json(final_state)}};
}

namespace {

// Decodes and folds the log's entries one at a time, in file order.
class log_reader {
  public:
    explicit log_reader(const export_limits& limits) : limits_(limits) {}

    // Keeps the first problem; entries after it are ignored.
    void add(const json& entry) {
        if (failed_) return;
        const std::size_t i = ops_.size();
        if (i == limits_.max_ops) {
            return fail({errc::too_long, "log: more than " + std::to_string(limits_.max_ops) + " ops"});
        }
        const std::string where = "log[" + std::to_string(i) + "]";
        auto decoded = decode_stamped(entry);
        if (!decoded) return fail(located(where, decoded.error()));
        if (auto refused = folded_.add(*decoded)) return fail(located(where, *refused));
        if (folded_.state().notes.size() + folded_.state().deleted_notes.size() > limits_.max_notes) {
            return fail({errc::too_long,
                         where + ": more than " + std::to_string(limits_.max_notes) + " notes"});
        }
        ops_.push_back(std::move(decoded).value());
    }
    void fail(rejection why) {
        if (!failed_) failed_ = std::move(why);
    }

    // The ops, once the file's "state" is checked against their fold.
    result<std::vector<stamped_op>> finish(const json& state) {
        if (failed_) return *failed_;
        // Files written before the bin, action plans, scribe attendance and
        // time zones, hidden votes and retention existed have no such keys: what they
        // have must still match.
        json expected = to_json(folded_.state());
        for (auto it = expected.begin(); it != expected.end();) {
            it = state.contains(it.key()) ? std::next(it) : expected.erase(it);
        }
        if (expected.contains("settings") && state.at("settings").is_object()) {
            for (const char* later : {"time_zone", "hidden_votes", "retention_days", "categories"}) {
                if (!state.at("settings").contains(later)) expected["settings"].erase(later);
            }
        }
        if (expected.dump() != state.dump()) {
            return rejection{errc::wrong_type, "state does not match the log"};
        }
        return std::move(ops_);
    }

  private:
    static rejection located(const std::string& where, const rejection& why) {
        return {why.code, where + (why.detail.empty() ? "" : ": " + why.detail)};
    }
    export_limits limits_;
    log_fold folded_;
    std::vector<stamped_op> ops_;
    std::optional<rejection> failed_;
};

// Everything but the log's entries: the keys, format, version and types.
std::optional<rejection> check_envelope(const json& j) {
    if (!j.is_object()) return rejection{errc::not_object, "session export"};
    for (const auto* key : {"format", "version", "log", "state"}) {
        if (!j.contains(key)) return rejection{errc::missing_field, key};
    }
    const json& format = j.at("format");
    if (!format.is_string() || format.get_ref<const std::string&>() != session_export_format) {
        return rejection{errc::wrong_type,
                         "format must be \"" + std::string(session_export_format) + "\""};
    }
    const json& version = j.at("version");
    if (!version.is_number_integer())
        return rejection{errc::wrong_type, "version must be an integer"};
    if (version.get<std::int64_t>() != session_export_version) {
        return rejection{errc::out_of_range,
                         "version must be " + std::to_string(session_export_version)};
    }
    if (!j.at("log").is_array()) return rejection{errc::wrong_type, "log must be an array"};
    if (!j.at("state").is_object()) return rejection{errc::wrong_type, "state must be an object"};
    for (const auto& [key, value] : j.items()) {
        if (key != "format" && key != "version" && key != "log" && key != "state") {
            return rejection{errc::unknown_field, key};
        }
    }
    return std::nullopt;
}

// How deeply arrays and objects nest in a JSON text, counted without parsing
// (strings skipped) and given up once past `limit`: refusing "[[[[…" before
// the parser allocates a level for each bracket.
std::size_t nesting_depth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size() && deepest <= limit; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

// Builds the export's JSON as nlohmann's parser would, except the log: each
// of its entries is built apart, handed to the reader once complete, and
// dropped. (nlohmann's parser callbacks could drop them too, but rescan the
// parent container after every value, which is quadratic in a state of
// 20,000 notes.)
class streamed_export final : public nlohmann::json_sax<json> {
  public:
    explicit streamed_export(log_reader& reader) : reader_(reader) {}
    json root;

    bool null() override { return put(nullptr); }
    bool boolean(bool v) override { return put(v); }
    bool number_integer(number_integer_t v) override { return put(v); }
    bool number_unsigned(number_unsigned_t v) override { return put(v); }
    bool number_float(number_float_t v, const string_t&) override { return put(v); }
    bool string(string_t& v) override { return put(std::move(v)); }
    bool binary(binary_t& v) override { return put(json::binary(std::move(v))); }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool key(string_t& k) override {
        key_ = std::move(k);
        if (stack_.size() == 1 && key_ == "log" && ++logs_ > 1) {
            reader_.fail({errc::wrong_type, "log appears twice"});
        }
        return true;
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    // The next value is an entry of the log: the root's "log" array is open.
    bool at_log_entry() const { return log_open_ && stack_.size() == 2; }

    // Puts a value where the parser is; the pointer stays valid while it is
    // on the stack (its parent gets nothing else until it is closed).
    json* place(json&& v) {
        if (stack_.empty()) {
            root = std::move(v);
            return &root;
        }
        if (at_log_entry()) {
            entry_ = std::move(v);
            return &entry_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        json& slot = parent[key_];
        slot = std::move(v);
        return &slot;
    }
    bool put(json&& v) {
        const bool entry = at_log_entry();
        place(std::move(v));
        if (entry) take_entry();
        return true;
    }
    bool open(json&& v) {
        const bool log = stack_.size() == 1 && key_ == "log" && v.is_array();
        stack_.push_back(place(std::move(v)));
        if (log) log_open_ = true;
        return true;
    }
    bool close() {
        const json* closed = stack_.back();
        stack_.pop_back();
        if (log_open_ && closed == &entry_) take_entry();
        if (log_open_ && stack_.size() == 1) log_open_ = false;  // the log itself
        return true;
    }
    void take_entry() {
        reader_.add(entry_);
        entry_ = json();
    }

    log_reader& reader_;
    std::vector<json*> stack_;  // the containers being filled, outermost first
    string_t key_;              // the key of the next value in an object
    json entry_;                // the log entry being built
    bool log_open_ = false;
    int logs_ = 0;
};

}  // namespace

result<std::vector<stamped_op>> read_session_export(const json& j) {
    if (auto bad = check_envelope(j)) return *bad;
    log_reader reader(export_limits{.max_depth = SIZE_MAX, .max_ops = SIZE_MAX, .max_notes = SIZE_MAX});
    for (const auto& entry : j.at("log")) reader.add(entry);
    return reader.finish(j.at("state"));
}

result<std::vector<stamped_op>> parse_session_export(std::string_view text,
                                                    const export_limits& limits) {
    if (nesting_depth(text, limits.max_depth) > limits.max_depth) {
        return rejection{errc::too_long,
                         "nested more than " + std::to_string(limits.max_depth) + " levels deep"};
    }
    log_reader reader(limits);
    streamed_export sax(reader);
    if (!json::sax_parse(text, &sax)) return rejection{errc::not_json, "the file is not JSON"};
    const json& j = sax.root;
    if (auto bad = check_envelope(j)) return *bad;
    return reader.finish(j.at("state"));
}

}  // namespace ruche::protocol
