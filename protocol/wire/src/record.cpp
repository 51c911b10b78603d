// Binary records: a format byte, then seq, time and author, then the op's
// kind (its index in the `op` variant) and its fields in declaration order.
// Integers are LEB128 varints (signed ones zigzagged), strings are a length
// and bytes, optionals a presence byte. Each op's fields are listed once, in
// `fields()`, and used both ways, so writer and reader cannot disagree.

#include "ruche/wire/record.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <type_traits>

#include "ruche/board/text.hpp"
#include "ruche/wire/codec.hpp"

namespace ruche::protocol {
namespace {

constexpr char binary_format = 0x01;

class writer {
public:
    std::string out;

    // A writer always writes every field, trailing ones included.
    bool at_end() const { return false; }

    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            out += static_cast<char>((v & 0x7F) | 0x80);
            v >>= 7;
        }
        out += static_cast<char>(v);
    }
    void operator()(const std::string& s) {
        varint(s.size());
        out += s;
    }
    void operator()(std::uint32_t v) { varint(v); }
    void operator()(std::uint64_t v) { varint(v); }
    void operator()(std::int64_t v) {
        varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    void operator()(std::int32_t v) { (*this)(static_cast<std::int64_t>(v)); }
    void operator()(bool v) { varint(v ? 1 : 0); }
    void operator()(point p) {
        (*this)(p.x);
        (*this)(p.y);
    }
    void operator()(const vote_target& t) {
        varint(t.kind == vote_target::kind_t::note ? 0 : 1);
        (*this)(t.id);
    }
    void operator()(const placement& p) {
        (*this)(p.id);
        (*this)(p.at);
    }
    template <typename E>
        requires std::is_enum_v<E>
    void operator()(E e) {
        varint(static_cast<std::uint64_t>(e));
    }
    template <typename T>
    void operator()(const std::optional<T>& o) {
        varint(o ? 1 : 0);
        if (o) (*this)(*o);
    }
    template <typename T>
    void operator()(const std::vector<T>& list) {
        varint(list.size());
        for (const auto& item : list) (*this)(item);
    }
};

constexpr std::uint64_t values_of(color) { return std::size(all_colors); }
constexpr std::uint64_t values_of(phase) { return std::size(all_phases); }
constexpr std::uint64_t values_of(profile) { return std::size(all_profiles); }
constexpr std::uint64_t values_of(role) { return 2; }

class reader {
public:
    explicit reader(std::string_view in) : in_(in) {}
    bool ok() const { return ok_; }
    bool done() const { return pos_ == in_.size(); }
    bool at_end() const { return done(); }

    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= in_.size()) return fail();
            const auto b = static_cast<unsigned char>(in_[pos_++]);
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        return fail();
    }
    void operator()(std::string& s) {
        const auto n = varint();
        if (n > in_.size() - pos_) {
            fail();
            return;
        }
        s.assign(in_.substr(pos_, n));
        pos_ += n;
        // Text goes back out as JSON: a corrupt record must not carry broken UTF-8.
        if (!detail::utf8_length(s)) fail();
    }
    void operator()(std::uint32_t& v) { v = narrow<std::uint32_t>(varint()); }
    void operator()(std::uint64_t& v) { v = varint(); }
    void operator()(std::int64_t& v) {
        const auto z = varint();
        v = static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
    }
    void operator()(std::int32_t& v) {
        std::int64_t wide = 0;
        (*this)(wide);
        if (wide < std::numeric_limits<std::int32_t>::min() || wide > std::numeric_limits<std::int32_t>::max()) fail();
        v = static_cast<std::int32_t>(wide);
    }
    void operator()(bool& v) { v = flag(); }
    void operator()(point& p) {
        (*this)(p.x);
        (*this)(p.y);
    }
    void operator()(vote_target& t) {
        t.kind = flag() ? vote_target::kind_t::theme : vote_target::kind_t::note;
        (*this)(t.id);
    }
    void operator()(placement& p) {
        (*this)(p.id);
        (*this)(p.at);
    }
    template <typename E>
        requires std::is_enum_v<E>
    void operator()(E& e) {
        const auto v = varint();
        if (v >= values_of(E{})) fail();
        e = static_cast<E>(v);
    }
    template <typename T>
    void operator()(std::optional<T>& o) {
        if (flag()) {
            o.emplace();
            (*this)(*o);
        } else {
            o.reset();
        }
    }
    template <typename T>
    void operator()(std::vector<T>& list) {
        const auto n = varint();
        if (n > in_.size() - pos_) {  // each item takes at least a byte
            fail();
            return;
        }
        list.resize(n);
        for (auto& item : list) (*this)(item);
    }

private:
    std::uint64_t fail() {
        ok_ = false;
        pos_ = in_.size();
        return 0;
    }
    bool flag() {
        const auto v = varint();
        if (v > 1) fail();
        return v == 1;
    }
    template <typename T>
    T narrow(std::uint64_t v) {
        if (v > std::numeric_limits<T>::max()) fail();
        return static_cast<T>(v);
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

// The fields of each op, in order. `Op` is const when writing.
template <typename IO, typename Op>
void fields(IO& io, Op& o) {
    using T = std::remove_const_t<Op>;
    if constexpr (std::is_same_v<T, ops::note_add>) {
        io(o.note), io(o.text), io(o.color), io(o.at), io(o.profile);
    } else if constexpr (std::is_same_v<T, ops::note_edit>) {
        io(o.note), io(o.text);
    } else if constexpr (std::is_same_v<T, ops::note_move>) {
        io(o.note), io(o.at);
    } else if constexpr (std::is_same_v<T, ops::note_color>) {
        io(o.note), io(o.color);
    } else if constexpr (std::is_same_v<T, ops::note_delete>) {
        io(o.note);
    } else if constexpr (std::is_same_v<T, ops::note_merge>) {
        io(o.note), io(o.into);
    } else if constexpr (std::is_same_v<T, ops::note_group>) {
        io(o.note), io(o.theme);
    } else if constexpr (std::is_same_v<T, ops::theme_create>) {
        io(o.theme), io(o.title), io(o.at);
    } else if constexpr (std::is_same_v<T, ops::theme_rename>) {
        io(o.theme), io(o.title);
    } else if constexpr (std::is_same_v<T, ops::theme_move>) {
        io(o.theme), io(o.at);
    } else if constexpr (std::is_same_v<T, ops::theme_delete>) {
        io(o.theme);
    } else if constexpr (std::is_same_v<T, ops::theme_synthesis>) {
        io(o.theme), io(o.text);
    } else if constexpr (std::is_same_v<T, ops::vote_add> || std::is_same_v<T, ops::vote_remove>) {
        io(o.target);
    } else if constexpr (std::is_same_v<T, ops::phase_set>) {
        io(o.phase);
    } else if constexpr (std::is_same_v<T, ops::board_lock>) {
        io(o.locked);
    } else if constexpr (std::is_same_v<T, ops::timer_start>) {
        io(o.seconds);
    } else if constexpr (std::is_same_v<T, ops::timer_stop>) {
    } else if constexpr (std::is_same_v<T, ops::settings_set>) {
        io(o.title), io(o.question), io(o.vote_budget), io(o.anonymous), io(o.note_max_length),
            io(o.profiles);
        // Added after the first records were written: older ones end here.
        if (!io.at_end()) io(o.time_zone);
        if (!io.at_end()) io(o.hidden_votes);
    } else if constexpr (std::is_same_v<T, ops::participant_join>) {
        io(o.participant), io(o.role), io(o.name), io(o.profile);
    } else if constexpr (std::is_same_v<T, ops::participant_rename>) {
        io(o.name), io(o.profile);
    } else if constexpr (std::is_same_v<T, ops::participant_leave>) {
        io(o.participant);
    } else if constexpr (std::is_same_v<T, ops::note_restore>) {
        io(o.note);
    } else if constexpr (std::is_same_v<T, ops::theme_restore>) {
        io(o.theme);
    } else if constexpr (std::is_same_v<T, ops::action_add>) {
        io(o.action), io(o.theme), io(o.what), io(o.who), io(o.when);
    } else if constexpr (std::is_same_v<T, ops::action_edit>) {
        io(o.action), io(o.what), io(o.who), io(o.when);
    } else if constexpr (std::is_same_v<T, ops::action_delete>) {
        io(o.action);
    } else if constexpr (std::is_same_v<T, ops::attendance_set>) {
        io(o.profile), io(o.count);
    } else if constexpr (std::is_same_v<T, ops::board_arrange>) {
        io(o.notes), io(o.themes);
    } else {
        static_assert(sizeof(T) == 0, "every op kind lists its fields here");
    }
}

// The binary reader checks only the shape of a record; these are the
// JSON decoder's checks of each field's value (ids, text, ranges), so that
// a damaged record is refused exactly where its JSON would be. The fuzz
// target tests/fuzz/fuzz_records.cpp holds the two to agreement.
class value_check {
public:
    bool ok() const { return ok_; }

    void id(const std::string& s) { ok_ = ok_ && detail::is_valid_id(s); }
    void text(const std::string& s, std::size_t max_chars, detail::text_kind kind, bool may_be_empty = false) {
        ok_ = ok_ && !detail::check_text(s, max_chars, kind, may_be_empty, {});
    }
    void line(const std::string& s, std::size_t max_chars, bool may_be_empty = false) {
        text(s, max_chars, detail::text_kind::line, may_be_empty);
    }
    void at(point p) {
        ok_ = ok_ && std::abs(p.x) <= coordinate_limit && std::abs(p.y) <= coordinate_limit;
    }
    void range(std::uint64_t v, std::uint64_t min, std::uint64_t max) { ok_ = ok_ && v >= min && v <= max; }

    void operator()(const ops::note_add& o) {
        id(o.note), text(o.text, max_note_chars, detail::text_kind::multiline), at(o.at);
    }
    void operator()(const ops::note_edit& o) { id(o.note), text(o.text, max_note_chars, detail::text_kind::multiline); }
    void operator()(const ops::note_move& o) { id(o.note), at(o.at); }
    void operator()(const ops::note_color& o) { id(o.note); }
    void operator()(const ops::note_delete& o) { id(o.note); }
    void operator()(const ops::note_restore& o) { id(o.note); }
    void operator()(const ops::note_merge& o) { id(o.note), id(o.into); }
    void operator()(const ops::note_group& o) {
        id(o.note);
        if (o.theme) id(*o.theme);
    }
    void operator()(const ops::theme_create& o) { id(o.theme), line(o.title, max_title_chars), at(o.at); }
    void operator()(const ops::theme_rename& o) { id(o.theme), line(o.title, max_title_chars); }
    void operator()(const ops::theme_move& o) { id(o.theme), at(o.at); }
    void operator()(const ops::theme_delete& o) { id(o.theme); }
    void operator()(const ops::theme_restore& o) { id(o.theme); }
    void operator()(const ops::theme_synthesis& o) {
        id(o.theme), text(o.text, max_synthesis_chars, detail::text_kind::multiline, true);
    }
    void operator()(const ops::vote_add& o) { id(o.target.id); }
    void operator()(const ops::vote_remove& o) { id(o.target.id); }
    void operator()(const ops::phase_set&) {}
    void operator()(const ops::board_lock&) {}
    void operator()(const ops::timer_start& o) { range(o.seconds, 1, max_timer_seconds); }
    void operator()(const ops::timer_stop&) {}
    void operator()(const ops::settings_set& o) {
        if (o.title) line(*o.title, max_title_chars);
        if (o.question) text(*o.question, max_question_chars, detail::text_kind::multiline, true);
        if (o.vote_budget) range(*o.vote_budget, 0, max_vote_budget);
        if (o.note_max_length) range(*o.note_max_length, 1, max_note_chars);
        // The JSON decoder sorts the profiles and drops repeats.
        if (o.profiles) {
            ok_ = ok_ && !o.profiles->empty() &&
                  std::adjacent_find(o.profiles->begin(), o.profiles->end(),
                                     [](profile a, profile b) { return a >= b; }) == o.profiles->end();
        }
        if (o.time_zone) {
            line(*o.time_zone, max_time_zone_chars);
            ok_ = ok_ && detail::is_time_zone_name(*o.time_zone);
        }
        ok_ = ok_ && (o.title || o.question || o.vote_budget || o.anonymous || o.note_max_length ||
                      o.profiles || o.time_zone || o.hidden_votes);
    }
    void operator()(const ops::participant_join& o) { id(o.participant), line(o.name, max_name_chars, true); }
    void operator()(const ops::participant_rename& o) { line(o.name, max_name_chars, true); }
    void operator()(const ops::participant_leave& o) { id(o.participant); }
    void operator()(const ops::action_add& o) {
        id(o.action), id(o.theme), line(o.what, max_action_chars);
        line(o.who, max_action_detail_chars, true), line(o.when, max_action_detail_chars, true);
    }
    void operator()(const ops::action_edit& o) {
        id(o.action), line(o.what, max_action_chars);
        line(o.who, max_action_detail_chars, true), line(o.when, max_action_detail_chars, true);
    }
    void operator()(const ops::action_delete& o) { id(o.action); }
    void operator()(const ops::attendance_set& o) { range(o.count, 0, max_scribe_attendance); }
    void operator()(const ops::board_arrange& o) {
        for (const auto& list : {&o.notes, &o.themes}) {
            for (const auto& p : *list) id(p.id), at(p.at);
        }
    }

private:
    bool ok_ = true;
};

bool values_valid(const stamped_op& s) {
    value_check check;
    check.range(s.seq, 1, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    check.id(s.by);
    std::visit(check, s.op);
    return check.ok();
}

template <std::size_t... I>
bool read_op(reader& in, std::size_t kind, op& out, std::index_sequence<I...>) {
    return ((kind == I ? (fields(in, out.emplace<I>()), true) : false) || ...);
}

}  // namespace

std::string encode_record(const stamped_op& s) {
    writer w;
    w.out.reserve(64);
    w.out += binary_format;
    w(s.seq);
    w(s.time);
    w(s.by);
    w.varint(s.op.index());
    std::visit([&w](const auto& o) { fields(w, o); }, s.op);
    return std::move(w.out);
}

result<stamped_op> decode_record(std::string_view bytes) {
    if (!bytes.empty() && bytes.front() == '{') return parse_stamped(bytes);
    if (bytes.empty() || bytes.front() != binary_format) return rejection{errc::corrupt_record, "unknown record format"};
    reader in(bytes.substr(1));
    stamped_op s;
    in(s.seq);
    in(s.time);
    in(s.by);
    const auto kind = in.varint();
    if (!in.ok() || kind >= std::variant_size_v<op> ||
        !read_op(in, kind, s.op, std::make_index_sequence<std::variant_size_v<op>>{}) || !in.ok() ||
        !in.done() || !values_valid(s)) {
        return rejection{errc::corrupt_record, "corrupt record"};
    }
    return s;
}

}  // namespace ruche::protocol
