#pragma once

#include <string>

namespace eddy {

/// Formats a double plainly: shortest round-trip digits, never an exponent
/// ("15", "2.5", "0.0001"). Used by CSV sinks.
std::string formatPlain(double v);

/// Formats a double as Java's Double.toString does ("15.0", "2.5", "1.0E-4"), as
/// Flink's print sink shows it.
std::string formatJava(double v);
/// A FLOAT as Java's Float.toString prints it (the shortest digits in float precision).
std::string formatJavaFloat(float v);

}  // namespace eddy
