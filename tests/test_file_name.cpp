#include <catch2/catch.hpp>

#include "file_name.hpp"

using namespace ruche::server;

TEST_CASE("ASCII slugs: accents taken off, words joined by dashes, cut at a dash") {
    CHECK(ascii_slug("Atelier : l'isolement des aînés") == "atelier-l-isolement-des-aines");
    CHECK(ascii_slug("  Œuvres & Cœur — ÉTÉ 2026  ") == "oeuvres-coeur-ete-2026");
    CHECK(ascii_slug("Ça va ? Très bien !") == "ca-va-tres-bien");
    CHECK(ascii_slug("日本語") == "");
    CHECK(ascii_slug("") == "");
    CHECK(ascii_slug("../../etc/passwd") == "etc-passwd");
    const auto cut = ascii_slug("un deux trois quatre cinq six sept huit neuf dix onze douze", 30);
    CHECK(cut.size() <= 30);
    CHECK(cut == "un-deux-trois-quatre-cinq-six");
}

TEST_CASE("UTF-8 slugs keep letters and drop what file systems refuse") {
    CHECK(utf8_slug("Atelier : l'isolement des aînés") == "atelier-l-isolement-des-aînés");
    CHECK(utf8_slug("a/b\\c:d*e?f\"g<h>i|j") == "a-b-c-d-e-f-g-h-i-j");
    CHECK(utf8_slug("Réunion\n\tdu CCAS") == "réunion-du-ccas");
}

TEST_CASE("Content-Disposition gives an ASCII name and the UTF-8 one (RFC 6266)") {
    CHECK(content_disposition("2026-11-25-atelier-aines-compte-rendu.odt",
                              "2026-11-25-atelier-aînés-compte-rendu.odt") ==
          "attachment; filename=\"2026-11-25-atelier-aines-compte-rendu.odt\"; "
          "filename*=UTF-8''2026-11-25-atelier-a%C3%AEn%C3%A9s-compte-rendu.odt");
    // Nothing can break out of the quoted name or the header.
    const auto h = content_disposition("a\"b\r\nc", "a b;c");
    CHECK(h == "attachment; filename=\"a_b__c\"; filename*=UTF-8''a%20b%3Bc");
}

TEST_CASE("a single word longer than the limit is cut between characters") {
    CHECK(utf8_slug("ééééééééé", 5) == "éé");
    CHECK(ascii_slug("abcdefghij", 4) == "abcd");
}
