// HTTP requests as anyone on the network may send them, to a real server in
// this process: the bytes of the input, with {SESSION}, {JOIN} and {TOKEN}
// replaced by a live session's, then the end of the request stream.
// Properties: the server never crashes, answers HTTP or closes, and keeps
// answering /healthz (checked every 100 inputs).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server_target.hpp"

using ruche::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto& server = ruche::fuzz::the_server();
    server.next_input();
    const std::string request =
        server.with_keys(std::string_view(reinterpret_cast<const char*>(data), size));
    ruche::fuzz::client_socket s(server.port());
    s.write(request);
    s.done_writing();
    const std::string reply = s.read();
    require(reply.empty() || reply.rfind("HTTP/1.1 ", 0) == 0, "the server answers HTTP or closes");
    return 0;
}
