// Runs the SQL golden files (tests/sql/*.test), sqllogictest style extended for
// streams. Records are separated by blank lines:
//
//   statement ok | statement error <expected message part>
//   <SQL>
//
//   append <table>            rows of a 'values' table: tab-separated fields, `null`
//   <f1>\t<f2>...             for NULL; a first field of -D/-U/+U/+I sets the row kind
//
//   watermark <table> <yyyy-MM-dd HH:mm:ss[.SSS]>
//
//   query [rowsort|materialized]   the changelog a statement prints, in Flink's format;
//   <SQL>                     rowsort compares sorted lines (order not defined);
//   ----                      materialized applies the changelog to a table (failing
//   +I[...]                   on a retraction of a row that is not there) and compares
//                             the final rows, sorted, as +I[...] (for results whose
//                             intermediate changes depend on how inputs interleave)
//
// Usage: sql_golden_test [--parallelism N] DIR_OR_FILE... ; prints each failure with file:line, exits 1
// if any.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/table/changelog_testing.h"
#include "eddy/sql/table/table_environment.h"

namespace {

using eddy::sql::ListCollector;
using eddy::sql::TableEnvironment;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

struct Record {
  int line = 0;
  std::vector<std::string> lines;
};

bool runFile(const std::string& path, int& cases, int parallelism) {
  std::ifstream in(path);
  std::vector<Record> records;
  std::string line;
  int n = 0;
  Record cur;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!cur.lines.empty()) records.push_back(cur);
      cur = Record();
      continue;
    }
    if (cur.lines.empty() && line[0] == '#') continue;
    if (cur.lines.empty()) cur.line = n;
    cur.lines.push_back(line);
  }
  if (!cur.lines.empty()) records.push_back(cur);

  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  eddy::sql::setSessionTimeZone(eddy::TimeZone());  // Each file starts in UTC, whatever the last one SET.
  if (parallelism > 0) {
    eddy::Status st = env.executeSql("SET 'parallelism.default' = '" + std::to_string(parallelism) + "'");
    out->take();
    if (!st.isOk()) {
      std::cerr << path << ": " << st.message() << "\n";
      return false;
    }
  }
  bool ok = true;
  auto fail = [&](const Record& r, const std::string& why) {
    std::cerr << path << ":" << r.line << ": " << why << "\n";
    ok = false;
  };
  for (const Record& r : records) {
    const std::string& head = r.lines[0];
    if (head.rfind("statement", 0) == 0) {
      ++cases;
      std::string sql;
      for (size_t i = 1; i < r.lines.size(); ++i) sql += r.lines[i] + "\n";
      eddy::Status st = env.executeSql(sql);
      out->take();
      if (head == "statement ok") {
        if (!st.isOk()) fail(r, "statement failed: " + st.message());
      } else if (head.rfind("statement error", 0) == 0) {
        std::string want = head.size() > 16 ? head.substr(16) : "";
        if (st.isOk()) {
          fail(r, "statement succeeded, expected an error containing '" + want + "'");
        } else if (st.message().find(want) == std::string::npos) {
          fail(r, "error '" + st.message() + "' does not contain '" + want + "'");
        }
      } else {
        fail(r, "unknown record '" + head + "'");
      }
    } else if (head.rfind("append ", 0) == 0) {
      std::string table = head.substr(7);
      auto key = env.catalog().keyOf(table);  // From the current database, as a statement's name.
      if (!key.isOk() || !env.catalog().tables.count(*key)) {
        fail(r, "no table '" + table + "'");
        continue;
      }
      auto& data = env.valuesOf(table);
      for (size_t i = 1; i < r.lines.size(); ++i) {
        eddy::sql::ValuesData::Item item;
        std::vector<std::string> fields = split(r.lines[i], '\t');
        if (!fields.empty() && (fields[0] == "-D" || fields[0] == "-U" || fields[0] == "+U" || fields[0] == "+I")) {
          item.kind = fields[0] == "-D"   ? eddy::sql::RowKind::kDelete
                      : fields[0] == "-U" ? eddy::sql::RowKind::kUpdateBefore
                      : fields[0] == "+U" ? eddy::sql::RowKind::kUpdateAfter
                                          : eddy::sql::RowKind::kInsert;
          fields.erase(fields.begin());
        }
        for (auto& f : fields) {
          item.nulls.push_back(f == "null");
          item.fields.push_back(f);
        }
        data.items.push_back(std::move(item));
      }
    } else if (head.rfind("watermark ", 0) == 0) {
      std::vector<std::string> parts = split(head, ' ');
      if (parts.size() < 3 || !env.catalog().tables.count(parts[1])) {
        fail(r, "usage: watermark TABLE TIMESTAMP");
        continue;
      }
      std::string ts = head.substr(head.find(parts[2], 10 + parts[1].size()));
      int64_t ms;
      if (!eddy::sql::parseTimestamp(ts, ms)) {
        fail(r, "bad timestamp '" + ts + "'");
        continue;
      }
      eddy::sql::ValuesData::Item item;
      item.watermark = ms;
      env.valuesOf(parts[1]).items.push_back(item);
    } else if (head.rfind("query", 0) == 0) {
      ++cases;
      bool rowsort = head.find("rowsort") != std::string::npos;
      bool materialized = head.find("materialized") != std::string::npos;
      size_t sep = 1;
      while (sep < r.lines.size() && r.lines[sep] != "----") ++sep;
      std::string sql;
      for (size_t i = 1; i < sep; ++i) sql += r.lines[i] + "\n";
      std::vector<std::string> want(r.lines.begin() + static_cast<long>(std::min(sep + 1, r.lines.size())), r.lines.end());
      eddy::Status st = env.executeSql(sql);
      std::vector<std::string> got;
      for (const std::string& l : out->take()) {
        for (const std::string& part : split(l, '\n')) got.push_back(part);
      }
      if (!st.isOk()) {
        fail(r, "query failed: " + st.message());
        continue;
      }
      if (materialized) {
        std::string error;
        std::multiset<std::string> rows;
        if (!eddy::sql::materializeChangelog(got, &rows, &error)) {
          fail(r, error);
          continue;
        }
        got.clear();
        for (const std::string& row : rows) got.push_back("+I" + row);
        std::sort(want.begin(), want.end());
      } else if (rowsort) {
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
      }
      if (got != want) {
        std::ostringstream msg;
        msg << "result differs\n--- expected\n";
        for (const auto& l : want) msg << l << "\n";
        msg << "--- got\n";
        for (const auto& l : got) msg << l << "\n";
        fail(r, msg.str());
      }
    } else {
      fail(r, "unknown record '" + head + "'");
    }
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  int parallelism = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--parallelism" && i + 1 < argc) {
      parallelism = std::atoi(argv[++i]);
      continue;
    }
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) {
        if (e.path().extension() == ".test") files.push_back(e.path().string());
      }
    } else {
      files.push_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  int failed = 0, cases = 0;
  for (const auto& f : files) failed += runFile(f, cases, parallelism) ? 0 : 1;
  std::cout << files.size() << " files, " << cases << " cases, " << failed << " files failed\n";
  return failed == 0 && !files.empty() ? 0 : 1;
}
