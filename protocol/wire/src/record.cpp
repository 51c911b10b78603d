// Binary records: a format byte, then seq, time and author, then the op's
// kind (its index in the `op` variant) and its fields in declaration order.
// Integers are LEB128 varints (signed ones zigzagged), strings are a length
// and bytes, optionals a presence byte. Each op's fields are those of the
// one table (op_fields.hpp), used both ways, so writer and reader cannot
// disagree, nor disagree with the JSON codec.

#include "ruche/wire/record.hpp"
#include "ruche/wire/wire_errc.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <type_traits>

#include "op_fields.hpp"
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
    void operator()(const geo_point& p) {
        (*this)(p.lat);
        (*this)(p.lon);
        (*this)(p.accuracy);
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
    void operator()(geo_point& p) {
        (*this)(p.lat);
        (*this)(p.lon);
        (*this)(p.accuracy);
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

using op_fields::count_rule;
using op_fields::given_by;
using op_fields::text_rule;

// An op's fields in a record: each value in the table's order, through the
// writer or the reader (`IO`).
template <typename IO>
class record_fields {
public:
    explicit record_fields(IO& io) : io_(io) {}

    template <typename T>
    void id(std::string_view, T& v, given_by = given_by::client) { field(v); }
    template <typename T>
    void nullable_id(std::string_view, T& v) { field(v); }
    template <typename T>
    void optional_id(std::string_view, T& v) { field(v); }
    template <typename T>
    void geo(std::string_view, T& v) { field(v); }
    template <typename T>
    void labels(std::string_view, T& v, const text_rule&) { field(v); }
    template <typename T>
    void text(std::string_view, T& v, const text_rule&) { field(v); }
    template <typename T>
    void name(std::string_view, T& v) { field(v); }
    template <typename T, typename Place = const bool>
    void position(T& at, Place* = nullptr) { field(at); }
    template <typename T>
    void target(T& t) { field(t); }
    template <typename T>
    void flag(std::string_view, T& v) { field(v); }
    template <typename T>
    void count(std::string_view, T& v, const count_rule&) { field(v); }
    template <typename T>
    void profiles(std::string_view, T& v) { field(v); }
    template <typename T>
    void time_zone(std::string_view, T& v) { field(v); }
    template <typename T>
    void placements(std::string_view, std::string_view, T& v) { field(v); }
    // The fields after this were added once records existed: older records
    // end before them.
    void later() { later_ = true; }
    void at_least_one(std::string_view, bool) {}

private:
    template <typename T>
    void field(T& v) {
        if (later_ && io_.at_end()) return;
        io_(v);
    }
    IO& io_;
    bool later_ = false;
};

// The binary reader checks only the shape of a record; these are the
// JSON decoder's checks of each field's value (ids, text, ranges), from the
// same table, so that a damaged record is refused exactly where its JSON
// would be. The fuzz target tests/fuzz/fuzz_records.cpp holds the two to
// agreement.
class value_check {
public:
    bool ok() const { return ok_; }

    void id(std::string_view, const std::string& s, given_by = given_by::client) {
        ok_ = ok_ && detail::is_valid_id(s);
    }
    void nullable_id(std::string_view key, const std::optional<std::string>& s) {
        if (s) id(key, *s);
    }
    void optional_id(std::string_view key, const std::optional<std::string>& s) { nullable_id(key, s); }
    void geo(std::string_view, const std::optional<geo_point>& p) {
        if (!p) return;
        ok_ = ok_ && std::abs(static_cast<std::int64_t>(p->lat)) <= 90 * geo_scale &&
              std::abs(static_cast<std::int64_t>(p->lon)) <= 180 * geo_scale && p->accuracy <= max_geo_accuracy;
    }
    // The JSON decoder takes at most max_categories labels, each once.
    void labels(std::string_view key, const std::optional<std::vector<std::string>>& v, const text_rule& r) {
        if (!v) return;
        ok_ = ok_ && v->size() <= max_categories;
        for (auto it = v->begin(); ok_ && it != v->end(); ++it) {
            ok_ = !detail::check_text(*it, r.max_chars, r.kind, false, key) && std::find(v->begin(), it, *it) == it;
        }
    }
    void text(std::string_view key, const std::string& s, const text_rule& r) {
        ok_ = ok_ && !detail::check_text(s, r.max_chars, r.kind, r.may_be_empty, key);
    }
    void text(std::string_view key, const std::optional<std::string>& s, const text_rule& r) {
        if (s) text(key, *s, r);
    }
    template <typename E>
    void name(std::string_view, const E&) {}  // the reader checks that it is a known value
    void position(const point& p, const bool* = nullptr) {
        ok_ = ok_ && std::abs(p.x) <= coordinate_limit && std::abs(p.y) <= coordinate_limit;
    }
    void target(const vote_target& t) { id("target", t.id); }
    void flag(std::string_view, bool) {}
    void flag(std::string_view, const std::optional<bool>&) {}
    void count(std::string_view, std::uint64_t v, const count_rule& r) { range(v, r.min, r.max); }
    void count(std::string_view key, const std::optional<std::uint32_t>& v, const count_rule& r) {
        if (v) count(key, *v, r);
    }
    // The JSON decoder sorts the profiles and drops repeats.
    void profiles(std::string_view, const std::optional<std::vector<profile>>& v) {
        if (!v) return;
        ok_ = ok_ && !v->empty() &&
              std::adjacent_find(v->begin(), v->end(), [](profile a, profile b) { return a >= b; }) == v->end();
    }
    void time_zone(std::string_view key, const std::optional<std::string>& v) {
        if (!v) return;
        text(key, *v, op_fields::time_zone_text);
        ok_ = ok_ && detail::is_time_zone_name(*v);
    }
    void placements(std::string_view, std::string_view id_key, const std::vector<placement>& list) {
        for (const auto& p : list) id(id_key, p.id), position(p.at);
    }
    void later() {}
    void at_least_one(std::string_view, bool any) { ok_ = ok_ && any; }

    void range(std::uint64_t v, std::uint64_t min, std::uint64_t max) { ok_ = ok_ && v >= min && v <= max; }

private:
    bool ok_ = true;
};

bool values_valid(const stamped_op& s) {
    value_check check;
    check.range(s.seq, 1, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    check.id("by", s.by);
    std::visit([&check](const auto& o) { op_fields::describe(check, o); }, s.op);
    return check.ok();
}

template <std::size_t... I>
bool read_op(reader& in, std::size_t kind, op& out, std::index_sequence<I...>) {
    record_fields<reader> fields(in);
    return ((kind == I ? (op_fields::describe(fields, out.emplace<I>()), true) : false) || ...);
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
    record_fields<writer> fields(w);
    std::visit([&fields](const auto& o) { op_fields::describe(fields, o); }, s.op);
    return std::move(w.out);
}

result<stamped_op> decode_record(std::string_view bytes) {
    if (!bytes.empty() && bytes.front() == '{') return parse_stamped(bytes);
    if (bytes.empty() || bytes.front() != binary_format) return rejection{wire_errc::corrupt_record, "unknown record format"};
    reader in(bytes.substr(1));
    stamped_op s;
    in(s.seq);
    in(s.time);
    in(s.by);
    const auto kind = in.varint();
    if (!in.ok() || kind >= std::variant_size_v<op> ||
        !read_op(in, kind, s.op, std::make_index_sequence<std::variant_size_v<op>>{}) || !in.ok() ||
        !in.done() || !values_valid(s)) {
        return rejection{wire_errc::corrupt_record, "corrupt record"};
    }
    return s;
}

}  // namespace ruche::protocol
