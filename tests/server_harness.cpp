#include "server_harness.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

namespace ruche::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

server::config running_server::test_config() {
    server::config cfg;
    cfg.bind = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = 2;
    cfg.static_dir = RUCHE_CLIENT_WEB_DIR;
    cfg.limits.ops_per_second = 10000;
    cfg.limits.ops_burst = 10000;
    cfg.limits.sessions_per_hour = 100000;
    return cfg;
}

running_server::running_server(server::config cfg, const temp_dir* data,
                               std::shared_ptr<storage::disk_faults> faults) {
    spdlog::set_level(spdlog::level::warn);  // keep test output readable
    if (!data) {
        own_data_ = std::make_unique<temp_dir>();
        data = own_data_.get();
    }
    data_ = data;
    storage::options opts;
    opts.faults = std::move(faults);
    opts.log = [](storage::log_severity, std::string_view line) { spdlog::warn("rocksdb: {}", line); };
    REQUIRE_FALSE(storage::open_rocksdb_op_log(data_->str(), opts, log_));
    server_ = std::make_unique<server::server>(cfg, *log_);
    REQUIRE_FALSE(server_->start());
    thread_ = std::thread([this, threads = cfg.threads] { server_->run(threads); });
}

void running_server::stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
    server_.reset();
    log_.reset();
}

running_server::~running_server() {
    stop();
}

http_reply http_call(std::uint16_t port, http::verb method, const std::string& target,
                     const std::string& body, const std::string& bearer,
                     const std::string& origin) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(5s);
    http_reply reply;
    stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                         [&](beast::error_code ec) { REQUIRE_FALSE(ec); });
    ioc.run();
    ioc.restart();
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!origin.empty()) req.set(http::field::origin, origin);
    if (!body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = body;
    }
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    stream.expires_after(5s);
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
        REQUIRE_FALSE(ec);
        http::async_read(stream, buffer, res,
                         [&](beast::error_code ec2, std::size_t) { REQUIRE_FALSE(ec2); });
    });
    ioc.run();
    reply.status = res.result_int();
    reply.body = res.body();
    for (const auto& field : res) reply.headers.set(field.name_string(), field.value());
    return reply;
}

created create_session(std::uint16_t port, json body) {
    auto reply = http_call(port, http::verb::post, "/api/sessions", body.dump());
    REQUIRE(reply.status == 201);
    const json j = reply.json_body();
    return {j.at("session_id"), j.at("join_code"), j.at("facilitator_token")};
}

ws_client::ws_client(std::uint16_t port, const std::string& origin, int receive_buffer)
    : ws_(ioc_) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    if (receive_buffer > 0)
        socket.set_option(net::socket_base::receive_buffer_size(receive_buffer));
    beast::get_lowest_layer(ws_).expires_after(5s);
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
        if (!origin.empty()) req.set(http::field::origin, origin);
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
    beast::get_lowest_layer(ws_).expires_never();
    ws_.read_message_max(16u << 20);
    read_more();
}

ws_client::~ws_client() {
    if (!closed_) {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }
}

void ws_client::read_more() {
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        if (ec) {
            closed_ = true;
            reason_ = ws_.reason();
            return;
        }
        // A client that said "lines" may get several messages in one frame.
        const std::string frame = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        ++frames_;
        std::size_t start = 0;
        while (start <= frame.size()) {
            const auto end = std::min(frame.find('\n', start), frame.size());
            inbox_.push_back(frame.substr(start, end - start));
            start = end + 1;
        }
        read_more();
    });
}

void ws_client::send_text(const std::string& text) {
    ws_.text(true);
    ws_.write(net::buffer(text));
}

void ws_client::send_binary(const std::string& bytes) {
    ws_.binary(true);
    ws_.write(net::buffer(bytes));
    ws_.text(true);
}

std::chrono::milliseconds ws_client::remaining(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return std::max(left, 0ms);
}

std::optional<json> ws_client::next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (inbox_.empty() && !closed_) {
        const auto left = remaining(deadline);
        if (left == 0ms) break;
        ioc_.restart();
        ioc_.run_one_for(left);
    }
    if (inbox_.empty()) return std::nullopt;
    json j = json::parse(inbox_.front(), nullptr, false);
    inbox_.pop_front();
    return j;
}

json ws_client::expect(const std::string& type, std::chrono::milliseconds timeout) {
    auto m = until([&](const json& j) { return j.value("type", "") == type; }, timeout);
    INFO("waiting for a message of type " << type);
    REQUIRE(m.has_value());
    return *m;
}

std::vector<json> ws_client::drain(std::chrono::milliseconds quiet) {
    std::vector<json> out;
    while (auto m = next(quiet)) out.push_back(std::move(*m));
    return out;
}

bool ws_client::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && remaining(deadline) > 0ms) {
        inbox_.clear();
        next(remaining(deadline));
    }
    return closed_;
}

json ws_client::hello_participant(const std::string& join_code, const std::string& name,
                                  const std::string& profile) {
    json hello = {{"type", "hello"}, {"join_code", join_code}};
    if (!name.empty()) hello["name"] = name;
    if (!profile.empty()) hello["profile"] = profile;
    send(hello);
    return expect("welcome");
}

json ws_client::hello_facilitator(const std::string& token) {
    send({{"type", "hello"}, {"facilitator_token", token}});
    return expect("welcome");
}

json ws_client::op(const std::string& op_id, const json& body) {
    send({{"type", "op"}, {"op_id", op_id}, {"op", body}});
    auto reply = until([&](const json& j) {
        return (j["type"] == "ack" || j["type"] == "error") && j.value("op_id", "") == op_id;
    });
    INFO("waiting for the answer to " << op_id);
    REQUIRE(reply.has_value());
    return *reply;
}

}  // namespace ruche::testing
