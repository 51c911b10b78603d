// The fuzz targets as plain programs: every file given (or found in the
// folders given) goes through LLVMFuzzerTestOneInput once. The regular suite
// runs each committed corpus this way, with any compiler, so a seed that
// once broke a property keeps being checked without libFuzzer.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_one(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path given = argv[i];
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(given)) {
            for (const auto& entry : std::filesystem::directory_iterator(given)) {
                if (entry.is_regular_file()) files.push_back(entry.path());
            }
        } else {
            files.push_back(given);
        }
        for (const auto& f : files) {
            run_one(f);
            ++inputs;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "no input: give corpus files or folders\n");
        return 2;
    }
    std::printf("%zu inputs, every property held\n", inputs);
    return 0;
}
