// ruche_load: a load generator for Ruche's WebSocket protocol (and for the
// baseline peer in benchmarks/peer/, which speaks the same subset). One
// thread, one epoll loop, thousands of connections. Every note carries the
// time it was sent, so each recipient measures its delivery latency; every
// op id carries it too, so acks are timed without a lookup.
//
// Scenarios (see benchmarks/README.md):
//   idle     connections that join and stay silent: setup time, server RSS per connection
//   fanout   sessions of --session-size, --writers of them writing; a rate per step
//            (--rates) or as fast as acks allow (--window ops in flight per writer)
//   resume   every connection dropped at once, then back with its token and last seq
//   state    one session filled with --ops notes, then its state at random seqs
//            over HTTP (the replay API), timed
//   churn    ops flowing while connections drop mid-write and come back, new people
//            join, readers stall, and sessions are created and deleted: for
//            sanitizer builds; it reports whether the server stayed up
//
// Output: one JSON object per measurement on stdout, a readable line on stderr.

#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "stats.hpp"
#include "ws_client.hpp"

namespace ruche::load {
namespace {

using json = nlohmann::json;

struct options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string scenario = "fanout";
    pid_t server_pid = 0;
    std::vector<std::size_t> connections{2000};
    std::size_t session_size = 50;
    double writers = 0.1;         // fraction of each session that writes
    std::vector<double> rates;    // ops/s for the whole run; empty: closed loop
    std::size_t window = 4;       // closed loop: ops in flight per writer
    double duration = 5;          // seconds measured per step
    double warmup = 1;            // seconds before each measured step
    double slow_readers = 0;      // fraction of connections that stop reading
    std::size_t note_bytes = 64;
    bool lines = false;           // ask for several messages per frame (hello "lines")
    std::size_t ops = 100000;     // scenario state: ops in the session
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "ruche_load: " << why
              << "\nusage: ruche_load --port N [--scenario idle|fanout|resume] [--server-pid P]\n"
                 "  [--connections 2000[,5000,...]] [--session-size 50] [--writers 0.1]\n"
                 "  [--rates 1000,2000 | --window 4] [--duration 5] [--warmup 1]\n"
                 "  [--slow-readers 0.01] [--note-bytes 64] [--lines]\n";
    std::exit(2);
}

template <typename T>
std::vector<T> parse_list(const std::string& s) {
    std::vector<T> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto end = s.find(',', start);
        const auto part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!part.empty()) out.push_back(static_cast<T>(std::stod(part)));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

options parse_options(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--host") o.host = value();
        else if (a == "--port") o.port = static_cast<std::uint16_t>(std::stoi(value()));
        else if (a == "--scenario") o.scenario = value();
        else if (a == "--server-pid") o.server_pid = std::stoi(value());
        else if (a == "--connections") o.connections = parse_list<std::size_t>(value());
        else if (a == "--session-size") o.session_size = std::stoul(value());
        else if (a == "--writers") o.writers = std::stod(value());
        else if (a == "--rates") o.rates = parse_list<double>(value());
        else if (a == "--window") o.window = std::stoul(value());
        else if (a == "--duration") o.duration = std::stod(value());
        else if (a == "--warmup") o.warmup = std::stod(value());
        else if (a == "--slow-readers") o.slow_readers = std::stod(value());
        else if (a == "--note-bytes") o.note_bytes = std::stoul(value());
        else if (a == "--lines") o.lines = true;
        else if (a == "--ops") o.ops = std::stoul(value());
        else usage("unknown option " + a);
    }
    if (o.port == 0) usage("--port is required");
    if (o.connections.empty() || o.session_size == 0) usage("nothing to connect");
    return o;
}

// A blocking HTTP/1.1 request; the answer's body.
std::string http_request(const sockaddr_in& server, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
        throw std::runtime_error("cannot connect to the server");
    }
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    const auto body = answer.find("\r\n\r\n");
    if (answer.compare(0, 12, "HTTP/1.1 201") != 0 && answer.compare(0, 12, "HTTP/1.1 200") != 0 &&
        answer.compare(0, 12, "HTTP/1.1 204") != 0) {
        throw std::runtime_error("HTTP request refused: " + answer.substr(0, answer.find("\r\n")));
    }
    // The JSON object of the body, whether or not it came in chunks.
    const auto first = answer.find('{', body);
    const auto last = answer.rfind('}');
    if (body == std::string::npos || first == std::string::npos || last < first) return {};
    return answer.substr(first, last - first + 1);
}

struct session {
    std::string join_code;
    std::vector<std::size_t> members;
    std::string id;
    std::string facilitator_token;
    bool deleted = false;
};

struct client {
    std::size_t session = 0;
    bool writer = false;
    bool slow = false;
    bool joined = false;
    std::string token;
    std::uint64_t last_seq = 0;
    std::size_t in_flight = 0;
    std::uint64_t next_op = 0;
    std::int64_t hello_sent = 0;
};

// A number right after `key` in `text`, searching from the end (top-level
// keys of Ruche's messages are sorted, so they follow the nested op).
std::optional<std::int64_t> number_after(std::string_view text, std::string_view key,
                                         bool from_end = true) {
    const auto at = from_end ? text.rfind(key) : text.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    std::int64_t v = 0;
    const char* first = text.data() + at + key.size();
    const auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), v);
    if (ec != std::errc() || ptr == first) return std::nullopt;
    return v;
}

std::string_view string_after(std::string_view text, std::string_view key) {
    const auto at = text.find(key);
    if (at == std::string_view::npos) return {};
    const auto start = at + key.size();
    const auto end = text.find('"', start);
    return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

class generator {
  public:
    explicit generator(options o) : o_(std::move(o)), pool_(address(o_), o_.host + ":" + std::to_string(o_.port)) {
        pool_.on_message([this](std::size_t c, std::string_view text) { on_frame(c, text); });
        pool_.on_closed([this](std::size_t c) { on_closed(c); });
    }

    int run() {
        if (o_.scenario == "idle") return run_idle();
        if (o_.scenario == "fanout") return run_fanout();
        if (o_.scenario == "resume") return run_resume();
        if (o_.scenario == "churn") return run_churn();
        if (o_.scenario == "state") return run_state();
        usage("unknown scenario " + o_.scenario);
    }

  private:
    static sockaddr_in address(const options& o) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(o.port);
        if (inet_pton(AF_INET, o.host.c_str(), &a.sin_addr) != 1) usage("--host must be an IPv4 address");
        return a;
    }

    // --- setting up ---------------------------------------------------------

    void create_session() {
        const std::string body = R"({"title":"Charge","private_writing":false})";
        const std::string req = "POST /api/sessions HTTP/1.1\r\nHost: " + o_.host +
                                "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        const auto answer = json::parse(http_request(address(o_), req));
        sessions_.push_back({answer.at("join_code").get<std::string>(), {},
                             answer.at("session_id").get<std::string>(),
                             answer.at("facilitator_token").get<std::string>()});
    }

    void say_hello(std::size_t c) {
        auto& k = clients_[c];
        json hello = {{"type", "hello"}, {"join_code", sessions_[k.session].join_code},
                      {"name", "c" + std::to_string(c)}};
        if (!k.token.empty()) {
            hello["participant_token"] = k.token;
            hello["last_seq"] = k.last_seq;
        }
        if (o_.lines) hello["lines"] = true;
        k.hello_sent = now_ns();
        pool_.send_text(c, hello.dump());
    }

    // Opens connections up to `total`, `session_size` per session, and waits for every welcome.
    bool connect_up_to(std::size_t total, double timeout_s) {
        while (clients_.size() < total) {
            if (sessions_.empty() || sessions_.back().members.size() == o_.session_size) create_session();
            const std::size_t c = pool_.open();
            clients_.push_back({});
            clients_[c].session = sessions_.size() - 1;
            sessions_.back().members.push_back(c);
            say_hello(c);
            // Keep the listen backlog short: handle what is ready between opens.
            if (c % 64 == 0) pool_.poll(0);
        }
        return wait_for([&] { return welcomed_ >= total; }, timeout_s);
    }

    template <typename Done>
    bool wait_for(Done done, double timeout_s) {
        const auto deadline = now_ns() + static_cast<std::int64_t>(timeout_s * 1e9);
        while (!done()) {
            if (now_ns() > deadline) return false;
            pool_.poll(5);
        }
        return true;
    }

    // --- messages -----------------------------------------------------------

    void on_frame(std::size_t c, std::string_view frame) {
        // Several messages may share a frame, one per line.
        std::size_t start = 0;
        while (start < frame.size()) {
            auto end = frame.find('\n', start);
            if (end == std::string_view::npos) end = frame.size();
            if (end > start) on_message(c, frame.substr(start, end - start));
            start = end + 1;
        }
    }

    void on_message(std::size_t c, std::string_view text) {
        const auto now = now_ns();
        ++messages_;
        auto& k = clients_[c];
        const auto type_at = text.rfind("\"type\":\"");
        if (type_at == std::string_view::npos) return;
        const auto type = string_after(text.substr(type_at), "\"type\":\"");
        if (type == "event") {
            if (auto seq = number_after(text, "\"seq\":")) k.last_seq = static_cast<std::uint64_t>(*seq);
            const auto marker = text.find("\"text\":\"T");
            if (marker == std::string_view::npos) return;
            const auto stamp = text.substr(marker + 9);
            std::int64_t sent = 0;
            std::uint64_t op = 0;
            auto [p1, e1] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), sent);
            if (e1 != std::errc() || *p1 != ':') return;
            std::from_chars(p1 + 1, stamp.data() + stamp.size(), op);
            if (!measuring_) return;
            ++delivered_;
            delivery_.add(now - sent);
            if (op >= op_base_ && op - op_base_ < ops_.size() && ops_[op - op_base_].remaining > 0) {
                auto& t = ops_[op - op_base_];
                t.slowest = std::max(t.slowest, now - sent);
                if (--t.remaining == 0) last_recipient_.add(t.slowest);
            }
        } else if (type == "ack") {
            const auto id = string_after(text, "\"op_id\":\"");
            const auto dash = id.rfind('-');
            std::int64_t sent = 0;
            if (dash != std::string_view::npos) std::from_chars(id.data() + dash + 1, id.data() + id.size(), sent);
            if (measuring_) {
                ++acked_;
                ack_.add(now - sent);
            }
            if (k.in_flight > 0) --k.in_flight;
            if (closed_loop_) top_up(c);
        } else if (type == "welcome") {
            if (!k.joined) ++welcomed_;
            k.joined = true;
            if (auto seq = number_after(text, "\"seq\":", false)) k.last_seq = static_cast<std::uint64_t>(*seq);
            if (const auto token = string_after(text, "\"participant_token\":\""); !token.empty()) {
                k.token = std::string(token);
            }
            if (resuming_) resume_.add(now - k.hello_sent);
        } else if (type == "error") {
            ++errors_[std::string(string_after(text, "\"code\":\""))];
            if (k.in_flight > 0 && text.find("\"op_id\"") != std::string_view::npos) --k.in_flight;
            if (closed_loop_) top_up(c);
        }
    }

    void on_closed(std::size_t c) {
        auto& k = clients_[c];
        if (k.joined) --welcomed_;
        k.joined = false;
        k.in_flight = 0;
        ++closed_;
    }

    // --- writing ------------------------------------------------------------

    struct op_track {
        std::uint32_t remaining = 0;
        std::int64_t slowest = 0;
    };

    void send_note(std::size_t c) {
        auto& k = clients_[c];
        const auto now = now_ns();
        const std::uint64_t op = op_base_ + ops_.size();
        std::uint32_t recipients = 0;
        for (auto m : sessions_[k.session].members) recipients += clients_[m].joined && !clients_[m].slow;
        ops_.push_back({measuring_ ? recipients : 0, 0});
        std::string text = "T" + std::to_string(now) + ":" + std::to_string(op) + ":";
        if (text.size() < o_.note_bytes) text.append(o_.note_bytes - text.size(), 'x');
        std::string msg;
        msg.reserve(160 + text.size());
        msg += R"({"type":"op","op_id":"w)";
        msg += std::to_string(c) + "-" + std::to_string(k.next_op++) + "-" + std::to_string(now);
        msg += R"(","op":{"kind":"note.add","color":"yellow","x":)";
        msg += std::to_string((op * 37) % 2000) + ",\"y\":" + std::to_string((op * 53) % 1500);
        msg += R"(,"text":")" + text + "\"}}";
        ++k.in_flight;
        ++sent_;
        pool_.send_text(c, msg);
    }

    void top_up(std::size_t c) {
        auto& k = clients_[c];
        if (!k.writer || !k.joined) return;
        while (k.in_flight < o_.window) send_note(c);
    }

    void choose_writers() {
        writers_.clear();
        for (const auto& s : sessions_) {
            const auto n = std::max<std::size_t>(1, static_cast<std::size_t>(o_.writers * static_cast<double>(s.members.size()) + 0.5));
            for (std::size_t i = 0; i < s.members.size(); ++i) {
                const auto c = s.members[i];
                clients_[c].writer = i < n;
                if (clients_[c].writer) writers_.push_back(c);
            }
        }
        if (o_.slow_readers > 0) {
            // Spread over sessions, never a writer.
            const auto every = static_cast<std::size_t>(1.0 / o_.slow_readers);
            for (std::size_t c = 0; c < clients_.size(); ++c) {
                if (c % every == every - 1 && !clients_[c].writer) {
                    clients_[c].slow = true;
                    pool_.set_reading(c, false);
                }
            }
        }
    }

    // --- measuring ----------------------------------------------------------

    void start_measuring() {
        measuring_ = true;
        delivered_ = acked_ = 0;
        delivery_.clear();
        last_recipient_.clear();
        ack_.clear();
        errors_.clear();
        op_base_ += ops_.size();
        ops_.clear();
        window_started_ = now_ns();
        server_before_ = sample_process(o_.server_pid);
        self_before_ = sample_process(0);
    }

    json stop_measuring(json row) {
        const double seconds = static_cast<double>(now_ns() - window_started_) / 1e9;
        measuring_ = false;
        const auto server = sample_process(o_.server_pid);
        const auto self = sample_process(0);
        row["seconds"] = seconds;
        row["delivered_per_s"] = static_cast<double>(delivered_) / seconds;
        row["acked_per_s"] = static_cast<double>(acked_) / seconds;
        row["delivery_ms"] = {{"p50", delivery_.quantile_ms(0.5)}, {"p99", delivery_.quantile_ms(0.99)},
                              {"p999", delivery_.quantile_ms(0.999)}};
        row["last_recipient_ms"] = {{"p50", last_recipient_.quantile_ms(0.5)},
                                    {"p99", last_recipient_.quantile_ms(0.99)}};
        row["ack_ms"] = {{"p50", ack_.quantile_ms(0.5)}, {"p99", ack_.quantile_ms(0.99)},
                         {"p999", ack_.quantile_ms(0.999)}};
        if (o_.server_pid) {
            row["server_cpu"] = (server.cpu_seconds - server_before_.cpu_seconds) / seconds;
            row["server_rss_mb"] = static_cast<double>(server.rss_bytes) / 1048576.0;
        }
        row["generator_cpu"] = (self.cpu_seconds - self_before_.cpu_seconds) / seconds;
        row["errors"] = errors_;
        row["closed"] = closed_;
        return row;
    }

    static void print(const json& row) {
        std::cout << row.dump() << std::endl;
    }

    // Drives writers for `seconds`: at `rate` ops/s in all, or closed loop when rate is 0.
    void drive(double rate, double seconds) {
        const auto start = now_ns();
        const auto end = start + static_cast<std::int64_t>(seconds * 1e9);
        std::uint64_t due_sent = 0;
        std::size_t next_writer = 0;
        closed_loop_ = rate <= 0;
        if (closed_loop_) {
            for (auto c : writers_) top_up(c);
        }
        while (now_ns() < end) {
            if (!closed_loop_ && !writers_.empty()) {
                const auto due = static_cast<std::uint64_t>(static_cast<double>(now_ns() - start) / 1e9 * rate);
                for (std::size_t burst = 0; due_sent < due && burst < 20000; ++burst, ++due_sent) {
                    const auto c = writers_[next_writer++ % writers_.size()];
                    if (clients_[c].joined) send_note(c);
                }
            }
            pool_.poll(closed_loop_ ? 5 : 1);
        }
        closed_loop_ = false;
    }

    // --- scenarios ----------------------------------------------------------

    int run_idle() {
        const auto base = sample_process(o_.server_pid);
        const auto started = now_ns();
        json steps = json::array();
        for (auto total : o_.connections) {
            if (!connect_up_to(total, 120)) {
                std::cerr << "only " << welcomed_ << " of " << total << " connections joined\n";
                return 1;
            }
            const double elapsed = static_cast<double>(now_ns() - started) / 1e9;
            // Let the server's reads of the welcomes finish before sampling memory.
            wait_for([] { return false; }, 0.5);
            const auto s = sample_process(o_.server_pid);
            steps.push_back({{"connections", total}, {"setup_s", elapsed},
                             {"server_rss_mb", static_cast<double>(s.rss_bytes) / 1048576.0}});
        }
        json row = {{"scenario", "idle"}, {"steps", steps},
                    {"rss_base_mb", static_cast<double>(base.rss_bytes) / 1048576.0}};
        // Bytes per connection: least-squares slope of RSS against connections.
        if (steps.size() >= 2) {
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (const auto& s : steps) {
                const double x = s["connections"].get<double>();
                const double y = s["server_rss_mb"].get<double>() * 1048576.0;
                sx += x, sy += y, sxx += x * x, sxy += x * y;
            }
            const double n = static_cast<double>(steps.size());
            row["bytes_per_connection"] = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        }
        row["closed"] = closed_;
        print(row);
        return 0;
    }

    int run_fanout() {
        if (!connect_up_to(o_.connections.front(), 120)) {
            std::cerr << "only " << welcomed_ << " connections joined\n";
            return 1;
        }
        choose_writers();
        const json base = {{"scenario", "fanout"}, {"connections", clients_.size()},
                           {"session_size", o_.session_size}, {"writers", writers_.size()},
                           {"slow_readers", o_.slow_readers}};
        const std::vector<double> rates = o_.rates.empty() ? std::vector<double>{0} : o_.rates;
        for (double rate : rates) {
            drive(rate, o_.warmup);
            start_measuring();
            drive(rate, o_.duration);
            json row = base;
            row["offered_ops_per_s"] = rate;
            row["window"] = rate > 0 ? 0 : o_.window;
            print(stop_measuring(row));
            // Let what is in flight arrive before the next step starts.
            wait_for([&] { return in_flight() == 0; }, 10);
        }
        return 0;
    }

    int run_resume() {
        if (!connect_up_to(o_.connections.front(), 120)) return 1;
        choose_writers();
        drive(o_.rates.empty() ? 1000 : o_.rates.front(), o_.warmup);
        wait_for([&] { return in_flight() == 0; }, 10);
        // Everyone loses the network at once, then comes back with token and last seq.
        for (std::size_t c = 0; c < clients_.size(); ++c) pool_.drop(c);
        closed_ = 0;
        resuming_ = true;
        resume_.clear();
        const auto started = now_ns();
        for (std::size_t c = 0; c < clients_.size(); ++c) {
            pool_.reopen(c);
            say_hello(c);
            if (c % 64 == 0) pool_.poll(0);
        }
        const bool all = wait_for([&] { return welcomed_ >= clients_.size(); }, 60);
        json row = {{"scenario", "resume"}, {"connections", clients_.size()},
                    {"all_resumed", all}, {"resumed", welcomed_},
                    {"seconds", static_cast<double>(now_ns() - started) / 1e9},
                    {"welcome_ms", {{"p50", resume_.quantile_ms(0.5)}, {"p95", resume_.quantile_ms(0.95)},
                                    {"max", resume_.quantile_ms(1)}}}};
        print(row);
        return all ? 0 : 1;
    }

    void delete_session(std::size_t index) {
        auto& victim = sessions_[index];
        const std::string req = "DELETE /api/sessions/" + victim.id + " HTTP/1.1\r\nHost: " + o_.host +
                                "\r\nAuthorization: Bearer " + victim.facilitator_token +
                                "\r\nConnection: close\r\n\r\n";
        http_request(address(o_), req);
        victim.deleted = true;
    }

    bool healthy() {
        try {
            http_request(address(o_), "GET /healthz HTTP/1.1\r\nHost: " + o_.host +
                                          "\r\nConnection: close\r\n\r\n");
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }

    int run_state() {
        o_.session_size = 1;
        o_.writers = 1;
        if (!connect_up_to(1, 30)) return 1;
        choose_writers();
        const auto filling = now_ns();
        closed_loop_ = true;
        o_.window = std::max<std::size_t>(o_.window, 64);
        top_up(writers_.front());
        // Until the session holds --ops ops (a few are the server's own).
        wait_for([&] { return clients_.front().last_seq >= o_.ops; }, 600);
        closed_loop_ = false;
        wait_for([&] { return in_flight() == 0; }, 30);
        const double fill_s = static_cast<double>(now_ns() - filling) / 1e9;
        const auto head = clients_.front().last_seq;
        latencies at_seq;
        std::uint64_t seed = 12345;
        std::size_t bytes = 0;
        for (int i = 0; i < 20; ++i) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const auto seq = 1 + (seed >> 33) % head;
            const auto started = now_ns();
            bytes += http_request(address(o_), "GET /api/sessions/" + sessions_.front().id +
                                                   "/state?seq=" + std::to_string(seq) +
                                                   " HTTP/1.1\r\nHost: " + o_.host +
                                                   "\r\nAuthorization: Bearer " +
                                                   sessions_.front().facilitator_token +
                                                   "\r\nConnection: close\r\n\r\n")
                         .size();
            at_seq.add(now_ns() - started);
        }
        print({{"scenario", "state"}, {"ops", head}, {"fill_seconds", fill_s},
               {"fill_ops_per_s", static_cast<double>(head) / fill_s},
               {"state_at_seq_ms", {{"p50", at_seq.quantile_ms(0.5)}, {"max", at_seq.quantile_ms(1)}}},
               {"mean_state_bytes", bytes / 20}});
        return 0;
    }

    int run_churn() {
        if (!connect_up_to(o_.connections.front(), 120)) return 1;
        choose_writers();
        const double rate = o_.rates.empty() ? 2000 : o_.rates.front();
        std::uint64_t seed = 88172645463325252ull;
        auto random = [&](std::size_t n) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            return static_cast<std::size_t>(seed % n);
        };
        std::size_t drops = 0, newcomers = 0, stalls = 0, deletions = 0;
        const auto end = now_ns() + static_cast<std::int64_t>(o_.duration * 1e9);
        auto next_deletion = now_ns();
        while (now_ns() < end) {
            drive(rate, 0.02);
            // A few connections vanish mid-stream (RST) and come back, resuming or anew.
            for (int i = 0; i < 8; ++i) {
                const auto c = random(clients_.size());
                auto& k = clients_[c];
                if (sessions_[k.session].deleted) continue;
                pool_.drop(c);
                ++drops;
                if (random(4) == 0) {
                    k.token.clear();  // a new person on the same phone
                    ++newcomers;
                }
                k.joined = false;
                pool_.reopen(c);
                say_hello(c);
            }
            // A reader stalls, another starts reading again.
            const auto s1 = random(clients_.size());
            pool_.set_reading(s1, random(2) == 0);
            ++stalls;
            // Now and then a session is deleted under load; its people go to a new one.
            if (now_ns() >= next_deletion) {
                next_deletion = now_ns() + 1'000'000'000;
                const auto victim = random(sessions_.size());
                if (!sessions_[victim].deleted) {
                    delete_session(victim);
                    ++deletions;
                    create_session();
                    for (auto c : sessions_[victim].members) {
                        clients_[c].session = sessions_.size() - 1;
                        clients_[c].token.clear();
                        sessions_.back().members.push_back(c);
                        pool_.reopen(c);
                        say_hello(c);
                    }
                    sessions_[victim].members.clear();
                }
            }
        }
        const bool up = healthy();
        json row = {{"scenario", "churn"}, {"connections", clients_.size()}, {"drops", drops},
                    {"newcomers", newcomers}, {"stalls", stalls}, {"deletions", deletions},
                    {"server_up", up}, {"errors", errors_}};
        print(row);
        return up ? 0 : 1;
    }

    std::size_t in_flight() const {
        std::size_t n = 0;
        for (const auto& k : clients_) n += k.joined ? k.in_flight : 0;
        return n;
    }

    options o_;
    ws_pool pool_;
    std::vector<session> sessions_;
    std::vector<client> clients_;
    std::vector<std::size_t> writers_;
    std::vector<op_track> ops_;  // ops sent since op_base_, for the last recipient's latency
    std::uint64_t op_base_ = 0;
    std::size_t welcomed_ = 0;
    std::size_t closed_ = 0;
    std::uint64_t messages_ = 0, sent_ = 0, delivered_ = 0, acked_ = 0;
    bool measuring_ = false, closed_loop_ = false, resuming_ = false;
    std::int64_t window_started_ = 0;
    process_sample server_before_, self_before_;
    latencies delivery_, last_recipient_, ack_, resume_;
    std::map<std::string, std::uint64_t> errors_;
};

void raise_file_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

}  // namespace
}  // namespace ruche::load

int main(int argc, char** argv) {
    try {
        ruche::load::raise_file_limit();
        ruche::load::generator g(ruche::load::parse_options(argc, argv));
        return g.run();
    } catch (const std::exception& e) {
        std::cerr << "ruche_load: " << e.what() << "\n";
        return 1;
    }
}
