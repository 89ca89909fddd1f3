#pragma once
// Compact JSON text for values we store and return: numbers as their shortest round-trip
// form ("1.5", not "1.5E0"), so a payload reads back the way a client wrote it.
#include <boost/json/fwd.hpp>

#include <string>
#include <string_view>

namespace evs::core {

void append_json(std::string& out, const boost::json::value& value);
std::string to_json_text(const boost::json::value& value);
void append_json_string(std::string& out, std::string_view text);

}  // namespace evs::core
