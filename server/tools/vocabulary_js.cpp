// Writes or checks the web client's vocabulary (client-web/js/vocabulary.js)
// from the protocol's code:
//   ruche_vocabulary_js --write FILE   (the build's `vocabulary-js` target)
//   ruche_vocabulary_js --check FILE   (a test of the suite)

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "ruche/wire/vocabulary_js.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " --write FILE | --check FILE\n";
        return 2;
    }
    const std::string_view mode = argv[1];
    const std::string path = argv[2];
    const std::string wanted = ruche::protocol::vocabulary_js();
    if (mode == "--write") {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << wanted;
        out.close();
        if (!out) {
            std::cerr << "cannot write " << path << '\n';
            return 1;
        }
        return 0;
    }
    if (mode == "--check") {
        std::ifstream in(path, std::ios::binary);
        const std::string present{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (present == wanted) return 0;
        std::cerr << path << " is not what the protocol says; regenerate it with\n"
                  << "  cmake --build --preset ci --target vocabulary-js\n";
        return 1;
    }
    std::cerr << "unknown mode " << mode << '\n';
    return 2;
}
