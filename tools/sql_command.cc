// `eddy sql`: runs Flink SQL in local mode, from a file (-f) or typed statements.
#include "tools/sql_command.h"

#include <editline/readline.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "eddy/sql/exec/digests.h"
#include "eddy/sql/exec/utf8.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::tools {

namespace {

// Result rows go to stdout; statement messages ("[INFO] ...") to stderr, so that
// stdout holds exactly the changelog.
class CliCollector : public sql::ChangelogCollector {
 public:
  void line(const std::string& s) override {
    FILE* f = s.rfind("[INFO]", 0) == 0 ? stderr : stdout;
    std::string l = s + "\n";
    std::fwrite(l.data(), 1, l.size(), f);
  }
  void flush() override { std::fflush(stdout); }
};

// A SELECT's result as the SQL client's result mode says (`--mode`, or `SET
// 'sql-client.execution.result-mode'` read when the SELECT starts): `changelog`, a line
// per change in Flink's print format; `tableau` (or `table`), Flink's table — in
// streaming mode a row per change with its kind in an `op` column, drawn as the changes
// arrive; in batch mode (`execution.runtime-mode`) the final rows, drawn at the end with
// columns as wide as their values ("N rows in set").
class ClientCollector final : public CliCollector {
 public:
  explicit ClientCollector(std::string mode) : default_mode_(std::move(mode)) {}
  /// The session whose options choose the mode; set once it exists.
  void setSession(const sql::TableEnvironment* env) { env_ = env; }

  void begin(const std::vector<std::string>& names, const std::vector<sql::LogicalType>& types) override {
    std::string mode = option("sql-client.execution.result-mode", default_mode_);
    in_select_ = mode == "tableau" || mode == "table";
    if (!in_select_) return;
    batch_ = option("execution.runtime-mode", "streaming") == "batch";
    names_ = names;
    widths_.clear();
    if (!batch_) widths_.push_back(2);
    for (size_t c = 0; c < names.size(); ++c) widths_.push_back(std::max(sql::utf8Length(names[c]), widthOf(types[c])));
    if (batch_) {
      rows_.clear();
      for (size_t c = 0; c < names.size(); ++c) widths_[c] = sql::utf8Length(names[c]);  // Widened by the values.
      return;
    }
    std::vector<std::string> header{"op"};
    header.insert(header.end(), names.begin(), names.end());
    rule();
    printRow(header);
    rule();
  }
  void row(const sql::RecordBatch& b, size_t r, const std::vector<sql::LogicalType>& types,
           const std::string& prefix) override {
    if (!in_select_) {
      // Changelog mode, or a print table's rows rather than a SELECT's: Flink's print format.
      line(prefix + sql::formatRow(b, r, types));
      return;
    }
    std::vector<std::string> cells;
    if (!batch_) cells.push_back(sql::rowKindShort(b.kinds[r]));
    for (size_t c = 0; c < b.columns.size(); ++c) cells.push_back(cell(sql::valueAt(b.columns[c], r), types[c]));
    if (!batch_) {
      printRow(cells);
      return;
    }
    // As wide as the values, up to Flink's 30 characters (longer ones cut with "...").
    for (size_t c = 0; c < cells.size(); ++c) {
      widths_[c] = std::max(widths_[c], std::min<size_t>(sql::utf8Length(cells[c]), 30));
    }
    rows_.push_back(std::move(cells));
  }
  // A statement's table (SHOW, DESCRIBE, SET): in tableau mode drawn as Flink's client
  // draws one, as wide as its values, NULL as an empty cell and values as CAST to STRING
  // writes them (DESCRIBE's `TRUE`); "N rows in set", "Empty set".
  void table(const sql::StatementTable& t) override {
    const std::string mode = option("sql-client.execution.result-mode", default_mode_);
    if (mode != "tableau" && mode != "table") {
      ChangelogCollector::table(t);
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& values : t.rows) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < values.size(); ++c) cells.push_back(values[c].null ? "" : sql::castToText(values[c], t.types[c]));
      rows.push_back(std::move(cells));
    }
    widths_.clear();
    for (const std::string& n : t.names) widths_.push_back(sql::utf8Length(n));
    for (const auto& cells : rows) {
      for (size_t c = 0; c < cells.size() && c < widths_.size(); ++c) {
        widths_[c] = std::max(widths_[c], sql::utf8Length(cells[c]));
      }
    }
    drawSet(t.names, rows);
  }
  void end(int64_t rows) override {
    if (!in_select_) return;
    in_select_ = false;
    if (batch_) {
      drawSet(names_, rows_);
      rows_.clear();
      return;
    }
    if (rows > 0) rule();
    std::printf("Received a total of %lld row%s\n", static_cast<long long>(rows), rows == 1 ? "" : "s");
    std::fflush(stdout);
  }

 private:
  // A session option in lower case, or `def` when it is not set.
  std::string option(const std::string& key, const std::string& def) const {
    if (!env_) return def;
    auto it = env_->config().find(key);
    std::string v = it == env_->config().end() ? def : it->second;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return v;
  }

  // A value as Flink's SQL client shows it: NULL as `<NULL>`, bytes as `x'0aff'`, the
  // rest as CAST to STRING writes it (its RowDataToStringConverter uses the cast rules:
  // TRUE, (1, a)).
  static std::string cell(const sql::Value& v, const sql::LogicalType& t) {
    if (v.null) return "<NULL>";
    if (t.isBinary()) return "x'" + sql::hexOf(v.s) + "'";
    return sql::castToText(v, t);
  }

  // Flink's column widths by type (TableauStyle#columnWidthsByType): what the type's
  // values need, `sql-client.display.max-column-width` (30) for the others, and room for
  // `<NULL>`; at least the name's (the caller's max).
  static size_t widthOf(const sql::LogicalType& t) {
    size_t len;
    switch (t.id) {
      case sql::TypeId::kTinyInt: len = 4; break;
      case sql::TypeId::kSmallInt: len = 6; break;
      case sql::TypeId::kInt: len = 11; break;
      case sql::TypeId::kBigInt: len = 20; break;
      case sql::TypeId::kDecimal: len = static_cast<size_t>(t.precision) + 2; break;
      case sql::TypeId::kBoolean: len = 5; break;
      case sql::TypeId::kDate: len = 10; break;
      case sql::TypeId::kTime: len = t.precision == 0 ? 8 : static_cast<size_t>(t.precision) + 9; break;
      case sql::TypeId::kTimestamp:
      case sql::TypeId::kTimestampLtz:
        len = t.precision == 0 ? 19 : t.precision <= 3 ? 23 : t.precision <= 6 ? 26 : 29;
        break;
      default: len = 30;
    }
    return std::max<size_t>(len, 6);
  }
  // A whole result under `header`, in the widths set: "N rows in set", or "Empty set".
  void drawSet(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) {
      std::printf("Empty set\n");
    } else {
      rule();
      printRow(header);
      rule();
      for (const auto& cells : rows) printRow(cells);
      rule();
      std::printf("%zu row%s in set\n", rows.size(), rows.size() == 1 ? "" : "s");
    }
    std::fflush(stdout);
  }
  void rule() {
    std::string s = "+";
    for (size_t w : widths_) s += std::string(w + 2, '-') + "+";
    std::printf("%s\n", s.c_str());
  }
  // Cells right-aligned, longer ones cut with "..." as Flink does.
  // Widths count characters, not bytes (a UTF-8 value lines up).
  void printRow(const std::vector<std::string>& cells) {
    std::string s = "|";
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string v = cells[c];
      size_t w = widths_[c];
      size_t length = sql::utf8Length(v);
      if (length > w) {
        v = std::string(sql::utf8Substr(v, 0, w - 3)) + "...";
        length = w;
      }
      s += " " + std::string(w - length, ' ') + v + " |";
    }
    std::printf("%s\n", s.c_str());
  }
  std::string default_mode_;
  const sql::TableEnvironment* env_ = nullptr;
  std::vector<size_t> widths_;
  bool in_select_ = false;
  bool batch_ = false;
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> rows_;  // Batch mode's, drawn at the end.
};

int fail(const Status& st) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", st.message().c_str());
  return 1;
}

// The words of `text` in upper case, outside string literals and comments (a statement
// set's opening and its END are found by them).
std::vector<std::string> upperWords(const std::string& text) {
  std::vector<std::string> words;
  std::string w;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

// Whether `statement` (up to a ';') opens a statement set that has not reached its END:
// `BEGIN STATEMENT SET; INSERT ...; END;` and `EXECUTE STATEMENT SET BEGIN ...; END;` run
// as one statement, as Flink's client takes them.
bool insideStatementSet(const std::string& statement) {
  const std::vector<std::string> w = upperWords(statement);
  const bool opens = (w.size() >= 3 && w[0] == "BEGIN" && w[1] == "STATEMENT" && w[2] == "SET") ||
                     (w.size() >= 3 && w[0] == "EXECUTE" && w[1] == "STATEMENT" && w[2] == "SET");
  return opens && w.back() != "END";
}

// Where the complete statements of `text` end: just past its last ';' outside string
// literals, quoted identifiers, comments and unfinished statement sets (0: none
// complete yet).
size_t completeEnd(const std::string& text) {
  size_t end = 0;
  char quote = 0;
  std::string statement;  // Since the last complete one, without literals and comments.
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;  // A doubled quote reopens at once: still inside.
    } else if (c == '\'' || c == '`' || c == '"') {
      quote = c;
      statement += ' ';
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == ';') {
      if (insideStatementSet(statement)) {
        statement += ' ';
        continue;
      }
      end = i + 1;
      statement.clear();
    } else {
      statement += c;
    }
  }
  return end;
}

// Whether `statement` is QUIT; or EXIT; (the SQL client's commands to leave).
bool isQuit(const std::string& statement) {
  const std::vector<std::string> w = upperWords(statement);
  return w.size() == 1 && (w[0] == "QUIT" || w[0] == "EXIT");
}

// HELP; (the client's own command, as in Flink's): what the client takes.
bool isHelp(const std::string& statement) {
  const std::vector<std::string> w = upperWords(statement);
  return w.size() == 1 && w[0] == "HELP";
}

void printHelp() {
  std::printf(
      "The following commands are available:\n\n"
      "HELP                    Prints the available commands.\n"
      "QUIT/EXIT               Quits the SQL CLI client.\n"
      "CREATE TABLE / VIEW     Create a table or view (CREATE TABLE ... WITH ('connector' = ...), ... LIKE, ... AS SELECT;\n"
      "                        CREATE OR REPLACE TABLE ... AS SELECT).\n"
      "ALTER TABLE / VIEW      Rename it, change its columns, watermark, key or options.\n"
      "DROP TABLE / VIEW       Drop a table or view.\n"
      "DESCRIBE / DESC         Describe the schema of a table or view.\n"
      "SHOW TABLES / VIEWS / FUNCTIONS / CREATE TABLE t / CREATE VIEW v\n"
      "                        List what the session knows.\n"
      "SHOW JOBS               List the jobs the session ran (id, name, status, start time).\n"
      "ADD JAR / SHOW JARS     List a jar (Eddy runs no JVM: it is not loaded; connectors are built in).\n"
      "SELECT ...              Run a query; its changes are shown as they arrive.\n"
      "INSERT INTO / OVERWRITE Write a query's rows into a table.\n"
      "EXECUTE STATEMENT SET BEGIN INSERT ...; ...; END  (or BEGIN STATEMENT SET; ...; END;)\n"
      "                        Run several INSERTs as one job.\n"
      "EXPLAIN ...             Print the plan of a query, INSERT or statement set.\n"
      "SET 'key' = 'value'     Set a session option ('sql-client.execution.result-mode' = 'tableau' |\n"
      "                        'changelog', 'execution.runtime-mode' = 'batch', 'table.local-time-zone', ...);\n"
      "                        SET; lists them.\n"
      "RESET ['key']           Reset one session option, or all.\n\n"
      "Hint: end a statement with ';' (it may span lines). docs/sql.md lists everything.\n");
  std::fflush(stdout);
}

// The interactive client on a terminal: line editing and a history kept across
// sessions in ~/.eddy_sql_history (libedit, BSD licensed; Flink's client keeps
// ~/.flink-sql-history). A statement may span lines ("> " continues it) and runs when
// a line holds its ';'. Returns the exit status.
int interactive(sql::TableEnvironment& env) {
  const char* home = std::getenv("HOME");
  const std::string history = home ? std::string(home) + "/.eddy_sql_history" : std::string();
  using_history();
  if (!history.empty()) read_history(history.c_str());
  std::string pending;
  int status = 0;
  while (char* raw = readline(pending.empty() ? "Flink SQL> " : "> ")) {
    std::string line(raw);
    std::free(raw);
    pending += line + "\n";
    size_t end = completeEnd(pending);
    if (end == 0) continue;
    std::string complete = pending.substr(0, end);
    pending.erase(0, end);
    if (pending.find_first_not_of(" \t\n") == std::string::npos) pending.clear();
    // The history keeps whole statements, one entry each, as Flink's client does.
    std::string entry = complete.substr(complete.find_first_not_of(" \t\n"));
    std::replace(entry.begin(), entry.end(), '\n', ' ');
    add_history(entry.c_str());
    if (!history.empty()) write_history(history.c_str());
    if (isQuit(complete)) return status;
    if (isHelp(complete)) {
      printHelp();
      continue;
    }
    Status st = env.executeScript(complete);
    if (!st.isOk()) status = fail(st);
  }
  std::printf("\n");
  return status;
}

}  // namespace

// The text of the script `path`; false (and a message) when it cannot be read.
bool readScript(const std::string& path, std::string& text) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "eddy sql: cannot read '%s'\n", path.c_str());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

// SQL's quoting of `text` as a string literal.
std::string quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

int runSql(const std::vector<std::string>& args) {
  std::string file, init;
  std::string mode = "changelog";
  std::vector<std::pair<std::string, std::string>> defines;  // -D key=value, as Flink's client takes them.
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-f" || args[i] == "--file") && i + 1 < args.size()) {
      file = args[++i];
    } else if ((args[i] == "-i" || args[i] == "--init") && i + 1 < args.size()) {
      init = args[++i];
    } else if (args[i].rfind("-D", 0) == 0) {
      std::string define = args[i].size() > 2 ? args[i].substr(2) : (i + 1 < args.size() ? args[++i] : "");
      const size_t eq = define.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "eddy sql: -D takes key=value, not '%s'\n", define.c_str());
        return 2;
      }
      defines.emplace_back(define.substr(0, eq), define.substr(eq + 1));
    } else if (args[i] == "--mode" && i + 1 < args.size()) {
      mode = args[++i];
      if (mode != "changelog" && mode != "tableau") {
        std::fprintf(stderr, "eddy sql: --mode is changelog or tableau, not '%s'\n", mode.c_str());
        return 2;
      }
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::printf(
          "usage: eddy sql [-i INIT.sql] [-f FILE.sql] [-D key=value ...] [--mode changelog|tableau]\n"
          "  -f FILE   run the statements of FILE in order; a SELECT prints its changelog\n"
          "            (+I[...], -U[...], +U[...], -D[...]) to stdout and ends when its\n"
          "            bounded inputs end\n"
          "  -i FILE   run FILE first (tables, views, SET ...), as Flink's client's --init\n"
          "  -D k=v    set option k to v before anything runs (as SET 'k' = 'v')\n"
          "  --mode    changelog (default): one line per change in Flink's print format;\n"
          "            tableau: a table with an op column, as Flink's SQL client draws it\n"
          "  without -f, statements are read from standard input, each ended by ';';\n"
          "            on a terminal with line editing and a history (~/.eddy_sql_history);\n"
          "            QUIT; or EXIT; leaves\n");
      return 0;
    } else {
      std::fprintf(stderr, "eddy sql: unknown argument '%s' (see eddy sql --help)\n", args[i].c_str());
      return 2;
    }
  }
  auto out = std::make_shared<ClientCollector>(mode);
  sql::TableEnvironment env(out);
  out->setSession(&env);
  for (const auto& [key, value] : defines) {
    Status st = env.executeSql("SET " + quoted(key) + " = " + quoted(value));
    if (!st.isOk()) return fail(Status(st.code(), "-D" + key + "=" + value + ": " + st.message()));
  }
  std::string script;
  if (!init.empty()) {
    if (!readScript(init, script)) return 1;
    Status st = env.executeScript(script);
    if (!st.isOk()) return fail(Status(st.code(), init + ": " + st.message()));
  }
  if (!file.empty()) {
    if (!readScript(file, script)) return 1;
    Status st = env.executeScript(script);
    return st.isOk() ? 0 : fail(st);
  }
  if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) return interactive(env);
  // Statements from standard input: run each once its ';' arrives. An error names the
  // line of the whole input, as with -f: each statement runs after as many newlines as
  // the input had before it.
  std::string pending, line;
  size_t lines_before = 0;
  int status = 0;
  auto run = [&](const std::string& statement) {
    Status st = env.executeScript(std::string(lines_before, '\n') + statement);
    if (!st.isOk()) status = fail(st);
    lines_before += static_cast<size_t>(std::count(statement.begin(), statement.end(), '\n'));
  };
  while (std::getline(std::cin, line)) {
    pending += line + "\n";
    size_t end = completeEnd(pending);
    if (end == 0) continue;
    std::string complete = pending.substr(0, end);
    pending.erase(0, end);
    if (isQuit(complete)) return status;
    if (isHelp(complete)) {
      printHelp();
      lines_before += static_cast<size_t>(std::count(complete.begin(), complete.end(), '\n'));
      continue;
    }
    run(complete);
  }
  if (pending.find_first_not_of(" \t\n") != std::string::npos) run(pending);
  return status;
}

}  // namespace eddy::tools
