#pragma once

// A walk as GeoJSON (RFC 7946), for a city's GIS team: its stops and the
// notes written on the way, as points. QGIS, uMap and most map tools open it.

#include "ruche/board/board.hpp"
#include "ruche/wire/codec.hpp"

namespace ruche::protocol {

// A FeatureCollection: each stop that has a place ("kind": "stop", in route
// order), then each note that has a position ("kind": "note"): where its
// author was, or else its stop's place ("position": "author" or "stop").
// Notes say their text, stop, category, theme and dots, never who wrote
// them. Coordinates are [longitude, latitude], as GeoJSON orders them.
// A note with a photo has "photo": `photo_path` followed by the photo's id
// (the server gives "/api/sessions/{id}/photos/"; the URL wants the
// facilitator's token, as the export itself does).
json walk_geojson(const board& b, std::string_view photo_path = {});

}  // namespace ruche::protocol
