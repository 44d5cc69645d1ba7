#include "eddy/sql/parser/parser.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "eddy/sql/parser/lexer.h"
#include "eddy/sql/parser/object_path.h"
#include "eddy/sql/parser/outer_conditions.h"

namespace eddy::sql {

const std::vector<std::string>& ast::builtinAggregateNames() {
  static const std::vector<std::string> kAggregates = {
      "ARRAY_AGG", "AVG", "COLLECT", "COUNT", "FIRST_VALUE", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "LAST_VALUE", "LISTAGG",
      "MAX", "MIN", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "SUM", "SUM0", "VAR_POP", "VAR_SAMP", "VARIANCE"};
  return kAggregates;
}

bool ast::isBuiltinAggregate(const std::string& name) {
  const auto& names = builtinAggregateNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

namespace {

using ast::Expr;
using ast::ExprPtr;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Words that end an expression or a clause, so they are never taken as an alias or a
// column name without quotes.
const std::set<std::string>& reservedWords() {
  static const std::set<std::string> kWords = {
      "SELECT", "FROM",   "WHERE",  "GROUP",   "BY",     "HAVING", "ORDER",     "LIMIT",  "UNION",
      "JOIN",   "INNER",  "LEFT",   "RIGHT",   "FULL",   "CROSS",  "OUTER",     "ON",     "AS",
      "AND",    "OR",     "NOT",    "IN",      "IS",     "NULL",   "LIKE",      "BETWEEN", "CASE",
      "WHEN",   "THEN",   "ELSE",   "END",     "WITH",   "INSERT", "INTO",      "VALUES", "CREATE",
      "TABLE",  "EXISTS", "DISTINCT", "ALL",   "OVER",   "PARTITION", "WINDOW", "LATERAL", "FOR",
      "SET",    "TRUE",   "FALSE",  "INTERVAL", "CAST",  "ASC",    "DESC",      "USING",  "NATURAL",
      "ROWS",   "RANGE",  "ESCAPE", "EXCEPT",  "INTERSECT", "FETCH", "OFFSET", "SYSTEM_TIME",
  };
  return kWords;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), t_(std::move(tokens)) {}

  Result<std::vector<std::unique_ptr<ast::Statement>>> script() {
    std::vector<std::unique_ptr<ast::Statement>> out;
    while (true) {
      while (peek().isSymbol(";")) ++i_;
      if (peek().kind == TokenKind::kEnd) break;
      size_t start = peek().offset;
      EDDY_ASSIGN_OR_RETURN(auto st, statement());
      st->text = std::string(text_.substr(start, peek().offset - start));
      while (!st->text.empty() && std::isspace(static_cast<unsigned char>(st->text.back()))) st->text.pop_back();
      if (!peek().isSymbol(";") && peek().kind != TokenKind::kEnd) {
        return unexpected("';' or the end of the statement");
      }
      out.push_back(std::move(st));
    }
    return out;
  }

  Result<ExprPtr> singleExpression() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr e, expr());
    if (peek().kind != TokenKind::kEnd) return unexpected("the end of the expression");
    return e;
  }

 private:
  // ---- Tokens.
  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  const Token& next() {
    const Token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  bool acceptKeyword(std::string_view k) {
    if (!peek().isKeyword(k)) return false;
    ++i_;
    return true;
  }
  bool acceptSymbol(std::string_view s) {
    if (!peek().isSymbol(s)) return false;
    ++i_;
    return true;
  }
  Status unexpected(const std::string& expected) const {
    const Token& t = peek();
    if (t.kind == TokenKind::kEnd) return sqlError(t.pos, "unexpected end of input, expected " + expected);
    return sqlError(t.pos, "unexpected " + t.describe() + ", expected " + expected);
  }
  Status expectKeyword(std::string_view k) {
    if (acceptKeyword(k)) return Status::ok();
    return unexpected(std::string(k));
  }
  Status expectSymbol(std::string_view s) {
    if (acceptSymbol(s)) return Status::ok();
    return unexpected("'" + std::string(s) + "'");
  }
  bool isIdentifier(const Token& t) const {
    if (t.kind == TokenKind::kQuotedIdentifier) return true;
    return t.kind == TokenKind::kIdentifier && reservedWords().count(upper(t.text)) == 0;
  }
  Result<std::string> identifier(const char* what = "an identifier") {
    // Non-reserved keywords (e.g. a column named `timestamp` or `value`) are fine here.
    const Token& t = peek();
    if (t.kind == TokenKind::kQuotedIdentifier ||
        (t.kind == TokenKind::kIdentifier && reservedWords().count(upper(t.text)) == 0)) {
      return next().text;
    }
    return unexpected(what);
  }
  Result<std::string> stringLiteral(const char* what) {
    if (peek().kind != TokenKind::kString) return unexpected(what);
    return next().text;
  }
  // A name with an optional catalog / database prefix, `cat.db.t`, as joinPath keeps it
  // (the catalog resolves it against the current database).
  Result<std::string> qualifiedName(const char* what) {
    EDDY_ASSIGN_OR_RETURN(std::string first, identifier(what));
    std::vector<std::string> parts{std::move(first)};
    while (peek().isSymbol(".") && isIdentifier(peek(1))) {
      ++i_;
      parts.push_back(next().text);
    }
    return joinPath(parts);
  }
  // ('k' = 'v', ...), after WITH or OPTIONS, into `options`.
  Status withOptions(std::vector<std::pair<std::string, std::string>>& options) {
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    do {
      EDDY_ASSIGN_OR_RETURN(std::string k, stringLiteral("a quoted option key"));
      EDDY_RETURN_IF_ERROR(expectSymbol("="));
      EDDY_ASSIGN_OR_RETURN(std::string v, stringLiteral("a quoted option value"));
      options.emplace_back(std::move(k), std::move(v));
    } while (acceptSymbol(","));
    return expectSymbol(")");
  }
  // CREATE CATALOG c WITH (...) | CREATE DATABASE [IF NOT EXISTS] [c.]d [COMMENT '...']
  // [WITH (...)], after CREATE.
  Result<std::unique_ptr<ast::Statement>> createCatalogOrDatabase(std::unique_ptr<ast::Statement> st) {
    const bool catalog = acceptKeyword("CATALOG");
    if (!catalog) EDDY_RETURN_IF_ERROR(expectKeyword("DATABASE"));
    st->kind = catalog ? ast::Statement::Kind::kCreateCatalog : ast::Statement::Kind::kCreateDatabase;
    if (acceptKeyword("IF")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("NOT"));
      EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
      st->if_not_exists = true;
    }
    if (catalog) {
      EDDY_ASSIGN_OR_RETURN(st->name, identifier("a catalog name"));
      if (!acceptKeyword("WITH")) return unexpected("WITH and the catalog's options, as in WITH ('type' = 'generic_in_memory')");
      EDDY_RETURN_IF_ERROR(withOptions(st->options));
      return st;
    }
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a database name"));
    if (acceptKeyword("COMMENT")) {
      EDDY_ASSIGN_OR_RETURN(st->value, stringLiteral("a quoted comment"));
    }
    if (acceptKeyword("WITH")) EDDY_RETURN_IF_ERROR(withOptions(st->options));
    return st;
  }
  // DROP CATALOG [IF EXISTS] c | DROP DATABASE [IF EXISTS] [c.]d [RESTRICT | CASCADE],
  // after DROP.
  Result<std::unique_ptr<ast::Statement>> dropCatalogOrDatabase(std::unique_ptr<ast::Statement> st) {
    const bool catalog = acceptKeyword("CATALOG");
    if (!catalog) EDDY_RETURN_IF_ERROR(expectKeyword("DATABASE"));
    st->kind = catalog ? ast::Statement::Kind::kDropCatalog : ast::Statement::Kind::kDropDatabase;
    if (acceptKeyword("IF")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
      st->if_exists = true;
    }
    if (catalog) {
      EDDY_ASSIGN_OR_RETURN(st->name, identifier("a catalog name"));
      return st;
    }
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a database name"));
    if (acceptKeyword("CASCADE")) {
      st->value = "CASCADE";
    } else {
      acceptKeyword("RESTRICT");  // The default.
    }
    return st;
  }

  // ---- Statements.
  Result<std::unique_ptr<ast::Statement>> statement() {
    auto st = std::make_unique<ast::Statement>();
    st->pos = peek().pos;
    if (peek().isKeyword("REPLACE") && peek(1).isKeyword("TABLE")) {  // REPLACE TABLE t ... AS query
      i_ += 2;
      st->replace = ast::Statement::Replace::kReplace;
      return createTable(std::move(st));
    }
    if (acceptKeyword("CREATE")) {
      if (peek().isKeyword("OR") && peek(1).isKeyword("REPLACE") && peek(2).isKeyword("TABLE")) {
        i_ += 3;
        st->replace = ast::Statement::Replace::kOrReplace;
        return createTable(std::move(st));
      }
      if (acceptKeyword("TEMPORARY")) st->temporary = true;
      if (acceptKeyword("TABLE")) return createTable(std::move(st));
      if (acceptKeyword("VIEW")) return createView(std::move(st));
      if (peek().isKeyword("FUNCTION") || peek().isKeyword("SYSTEM")) {
        return sqlError(peek().pos, "CREATE FUNCTION names a Java class, and Eddy runs no JVM: user-defined functions "
                                    "are C++, registered through the Table API (TableEnvironment::"
                                    "createTemporarySystemFunction)");
      }
      if (peek().isKeyword("CATALOG") || peek().isKeyword("DATABASE")) {
        if (st->temporary) return unexpected("TABLE or VIEW after TEMPORARY");
        return createCatalogOrDatabase(std::move(st));
      }
      return unexpected("TABLE, VIEW, DATABASE or CATALOG");
    }
    if ((peek().isKeyword("ADD") || peek().isKeyword("REMOVE")) && peek(1).isKeyword("JAR")) {
      st->kind = ast::Statement::Kind::kJar;
      st->value = upper(next().text);
      ++i_;
      EDDY_ASSIGN_OR_RETURN(st->name, stringLiteral("a quoted jar path, as in ADD JAR '/path/to/udf.jar'"));
      return st;
    }
    if (acceptKeyword("DROP")) {
      if (peek().isKeyword("CATALOG") || peek().isKeyword("DATABASE")) return dropCatalogOrDatabase(std::move(st));
      acceptKeyword("TEMPORARY");
      if (acceptKeyword("TABLE")) {
        st->kind = ast::Statement::Kind::kDropTable;
      } else if (acceptKeyword("VIEW")) {
        st->kind = ast::Statement::Kind::kDropView;
      } else {
        return unexpected("TABLE, VIEW, DATABASE or CATALOG");
      }
      if (acceptKeyword("IF")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
        st->if_exists = true;
      }
      EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
      return st;
    }
    if (acceptKeyword("ALTER")) {
      if (acceptKeyword("VIEW")) return alterView(std::move(st));
      if (acceptKeyword("DATABASE")) {  // ALTER DATABASE [c.]d SET ('k' = 'v', ...)
        st->kind = ast::Statement::Kind::kAlterDatabase;
        EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a database name"));
        EDDY_RETURN_IF_ERROR(expectKeyword("SET"));
        EDDY_RETURN_IF_ERROR(withOptions(st->options));
        return st;
      }
      return alterTable(std::move(st));
    }
    if (acceptKeyword("SHOW")) {
      // [FROM | IN container]: a database ([catalog.]database) or a catalog, into `key`
      // (the session checks it exists).
      auto container = [&](bool catalog) -> Status {
        if (!acceptKeyword("FROM") && !acceptKeyword("IN")) return Status::ok();
        EDDY_ASSIGN_OR_RETURN(st->key, catalog ? identifier("a catalog name") : qualifiedName("a database name"));
        return Status::ok();
      };
      // [NOT] LIKE | ILIKE 'pattern'.
      auto like = [&]() -> Status {
        const bool negated = peek().isKeyword("NOT") && (peek(1).isKeyword("LIKE") || peek(1).isKeyword("ILIKE"));
        if (negated) ++i_;
        if (!acceptKeyword("LIKE")) {
          if (!acceptKeyword("ILIKE")) return negated ? unexpected("LIKE or ILIKE") : Status::ok();
          st->ilike = true;
        }
        st->not_like = negated;
        EDDY_ASSIGN_OR_RETURN(std::string pattern, stringLiteral("a quoted pattern, as in LIKE 'a%'"));
        st->like = std::move(pattern);
        return Status::ok();
      };
      if (acceptKeyword("TABLES")) {
        st->kind = ast::Statement::Kind::kShowTables;
        EDDY_RETURN_IF_ERROR(container(false));
      } else if (acceptKeyword("VIEWS")) {
        st->kind = ast::Statement::Kind::kShowViews;
        EDDY_RETURN_IF_ERROR(container(false));
      } else if (peek().isKeyword("CATALOGS") || peek().isKeyword("DATABASES") || peek().isKeyword("FUNCTIONS")) {
        st->kind = ast::Statement::Kind::kShowCatalogObjects;
        st->name = upper(next().text);
        if (st->name != "CATALOGS") {
          EDDY_RETURN_IF_ERROR(container(st->name == "DATABASES"));
        }
      } else if (acceptKeyword("JARS")) {
        st->kind = ast::Statement::Kind::kJar;
        st->value = "SHOW";
        return st;
      } else if (acceptKeyword("JOBS")) {
        st->kind = ast::Statement::Kind::kShowJobs;
        return st;
      } else if (acceptKeyword("MODULES")) {
        st->kind = ast::Statement::Kind::kShowCatalogObjects;
        st->name = "MODULES";
      } else if (peek().isKeyword("FULL") && peek(1).isKeyword("MODULES")) {
        i_ += 2;
        st->kind = ast::Statement::Kind::kShowCatalogObjects;
        st->name = "FULL MODULES";
        return st;
      } else if (peek().isKeyword("USER") && peek(1).isKeyword("FUNCTIONS")) {
        i_ += 2;
        st->kind = ast::Statement::Kind::kShowCatalogObjects;
        st->name = "USER FUNCTIONS";
        EDDY_RETURN_IF_ERROR(container(false));
      } else if (acceptKeyword("CURRENT")) {
        if (!peek().isKeyword("CATALOG") && !peek().isKeyword("DATABASE")) return unexpected("CATALOG or DATABASE");
        st->kind = ast::Statement::Kind::kShowCatalogObjects;
        st->name = "CURRENT " + upper(next().text);
        return st;
      } else if (acceptKeyword("CREATE")) {
        const bool view = acceptKeyword("VIEW");
        if (!view && !acceptKeyword("TABLE")) return unexpected("TABLE or VIEW");
        st->kind = view ? ast::Statement::Kind::kShowCreateView : ast::Statement::Kind::kShowCreateTable;
        EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName(view ? "a view name" : "a table name"));
        return st;
      } else if (acceptKeyword("COLUMNS")) {
        // SHOW COLUMNS FROM|IN t: what DESCRIBE t shows.
        if (!acceptKeyword("FROM") && !acceptKeyword("IN")) return unexpected("FROM or IN");
        st->kind = ast::Statement::Kind::kDescribe;
        EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
      } else {
        return unexpected("TABLES, VIEWS, COLUMNS, CREATE TABLE, FUNCTIONS, CATALOGS, DATABASES, MODULES, JOBS, JARS or "
                          "CURRENT");
      }
      EDDY_RETURN_IF_ERROR(like());
      return st;
    }
    if ((peek().isKeyword("LOAD") || peek().isKeyword("UNLOAD")) && peek(1).isKeyword("MODULE")) {
      st->kind = ast::Statement::Kind::kModule;
      st->value = upper(next().text);
      ++i_;
      EDDY_ASSIGN_OR_RETURN(std::string module, identifier("a module name"));
      st->alter_names.push_back(std::move(module));
      if (st->value == "LOAD" && acceptKeyword("WITH")) EDDY_RETURN_IF_ERROR(withOptions(st->options));
      return st;
    }
    if (peek().isKeyword("USE") && peek(1).isKeyword("MODULES")) {
      i_ += 2;
      st->kind = ast::Statement::Kind::kModule;
      st->value = "USE";
      do {
        EDDY_ASSIGN_OR_RETURN(std::string module, identifier("a module name"));
        st->alter_names.push_back(std::move(module));
      } while (acceptSymbol(","));
      return st;
    }
    if (peek().isKeyword("STOP") && peek(1).isKeyword("JOB")) {  // STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN]
      i_ += 2;
      st->kind = ast::Statement::Kind::kStopJob;
      EDDY_ASSIGN_OR_RETURN(st->name, stringLiteral("a quoted job id, as in STOP JOB '228d70913eab60dda85c5e7f78b5782c'"));
      while (acceptKeyword("WITH")) {
        if (acceptKeyword("SAVEPOINT")) {
          st->key = "SAVEPOINT";
        } else if (acceptKeyword("DRAIN")) {
          st->value = "DRAIN";
        } else {
          return unexpected("SAVEPOINT or DRAIN");
        }
      }
      return st;
    }
    if (acceptKeyword("USE")) {
      st->kind = ast::Statement::Kind::kUse;
      if (acceptKeyword("CATALOG")) st->key = "CATALOG";
      EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName(st->key.empty() ? "a database name" : "a catalog name"));
      return st;
    }
    if (acceptKeyword("DESCRIBE") || acceptKeyword("DESC")) {
      st->kind = ast::Statement::Kind::kDescribe;
      // DESCRIBE EXTENDED t: Flink's parser takes it, and shows the same columns.
      if (peek().isKeyword("EXTENDED") && peek(1).kind != TokenKind::kEnd && !peek(1).isSymbol(";")) ++i_;
      EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
      return st;
    }
    if (acceptKeyword("SET")) {
      st->kind = ast::Statement::Kind::kSet;
      if (peek().kind == TokenKind::kEnd || peek().isSymbol(";")) return st;  // SET alone lists
      if (peek().kind != TokenKind::kString) return unquotedSet(std::move(st));
      EDDY_ASSIGN_OR_RETURN(st->key, stringLiteral("a quoted key, as in SET 'key' = 'value'"));
      EDDY_RETURN_IF_ERROR(expectSymbol("="));
      EDDY_ASSIGN_OR_RETURN(st->value, stringLiteral("a quoted value, as in SET 'key' = 'value'"));
      return st;
    }
    if (acceptKeyword("RESET")) {
      st->kind = ast::Statement::Kind::kReset;
      if (peek().kind == TokenKind::kString) st->key = next().text;
      return st;
    }
    if (acceptKeyword("EXPLAIN")) {
      st->kind = ast::Statement::Kind::kExplain;
      if (acceptKeyword("PLAN")) EDDY_RETURN_IF_ERROR(expectKeyword("FOR"));
      // Flink's explain details: the plan text here always shows the changelog modes,
      // so the details are accepted and add nothing.
      static const char* kDetails[] = {"ESTIMATED_COST", "CHANGELOG_MODE", "JSON_EXECUTION_PLAN", "PLAN_ADVICE"};
      auto detail = [&] {
        for (const char* d : kDetails) {
          if (peek().isKeyword(d)) return true;
        }
        return false;
      };
      while (detail()) {
        ++i_;
        if (!acceptSymbol(",")) break;
      }
      EDDY_ASSIGN_OR_RETURN(auto target, statement());
      if (target->kind != ast::Statement::Kind::kQuery && target->kind != ast::Statement::Kind::kInsert &&
          target->kind != ast::Statement::Kind::kStatementSet) {
        return sqlError(target->pos, "EXPLAIN takes a query, an INSERT or a statement set");
      }
      st->statements.push_back(std::move(target));
      return st;
    }
    if (acceptKeyword("EXECUTE")) {
      if (acceptKeyword("STATEMENT")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("SET"));
        return statementSet(std::move(st));
      }
      return statement();  // EXECUTE INSERT ... / EXECUTE SELECT ...
    }
    if (peek().isKeyword("BEGIN")) {
      ++i_;
      EDDY_RETURN_IF_ERROR(expectKeyword("STATEMENT"));
      EDDY_RETURN_IF_ERROR(expectKeyword("SET"));
      return statementSetBody(std::move(st), /*begin_consumed=*/true);
    }
    if (acceptKeyword("INSERT")) {
      st->kind = ast::Statement::Kind::kInsert;
      if (acceptKeyword("OVERWRITE")) {
        st->overwrite = true;
      } else if (!acceptKeyword("INTO")) {
        return unexpected("INTO or OVERWRITE");
      }
      EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
      EDDY_RETURN_IF_ERROR(tableHints(st->hint_options));
      if (acceptKeyword("PARTITION")) {
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        do {
          EDDY_ASSIGN_OR_RETURN(std::string column, identifier("a partition column"));
          EDDY_RETURN_IF_ERROR(expectSymbol("="));
          EDDY_ASSIGN_OR_RETURN(ast::ExprPtr value, expr());
          if (value->kind != ast::Expr::Kind::kLiteral || value->literal == ast::Expr::LiteralType::kNull) {
            return sqlError(value->pos, "a static partition value must be a literal, not NULL");
          }
          st->static_partitions.emplace_back(column, std::move(value));
        } while (acceptSymbol(","));
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      }
      if (peek().isSymbol("(") && !peek(1).isKeyword("SELECT") && !peek(1).isKeyword("WITH")) {
        ++i_;
        EDDY_ASSIGN_OR_RETURN(st->insert_columns, nameList("a column name"));
      }
      EDDY_ASSIGN_OR_RETURN(st->query, query());
      return st;
    }
    if (peek().isKeyword("SELECT") || peek().isKeyword("WITH") || peek().isKeyword("VALUES") || peek().isSymbol("(")) {
      st->kind = ast::Statement::Kind::kQuery;
      EDDY_ASSIGN_OR_RETURN(st->query, query());
      return st;
    }
    return unexpected("a statement (CREATE, DROP, ALTER, SELECT, INSERT, SET, SHOW, DESCRIBE, EXPLAIN, EXECUTE, USE)");
  }

  Result<std::unique_ptr<ast::Statement>> statementSet(std::unique_ptr<ast::Statement> st) {
    EDDY_RETURN_IF_ERROR(expectKeyword("BEGIN"));
    return statementSetBody(std::move(st), true);
  }
  Result<std::unique_ptr<ast::Statement>> statementSetBody(std::unique_ptr<ast::Statement> st, bool) {
    st->kind = ast::Statement::Kind::kStatementSet;
    while (true) {
      while (acceptSymbol(";")) {
      }
      if (acceptKeyword("END")) break;
      if (!peek().isKeyword("INSERT")) return unexpected("INSERT INTO or END in the statement set");
      size_t start = peek().offset;
      EDDY_ASSIGN_OR_RETURN(auto ins, statement());
      ins->text = std::string(text_.substr(start, peek().offset - start));
      st->statements.push_back(std::move(ins));
      if (!peek().isSymbol(";") && !peek().isKeyword("END")) return unexpected("';' after the INSERT");
    }
    return st;
  }

  // SET key = value without quotes (the SQL client's older form, still in many scripts):
  // the key and the value are the text around '=' as written, up to the statement's end.
  Result<std::unique_ptr<ast::Statement>> unquotedSet(std::unique_ptr<ast::Statement> st) {
    const size_t key_start = peek().offset;
    while (!peek().isSymbol("=")) {
      if (peek().kind == TokenKind::kEnd || peek().isSymbol(";")) return unexpected("'=' and a value, as in SET 'key' = 'value'");
      ++i_;
    }
    auto trimmed = [](std::string_view v) {
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
      return std::string(v);
    };
    st->key = trimmed(text_.substr(key_start, peek().offset - key_start));
    ++i_;  // '='
    if (peek().kind == TokenKind::kString && (peek(1).kind == TokenKind::kEnd || peek(1).isSymbol(";"))) {
      st->value = next().text;
      return st;
    }
    if (peek().kind == TokenKind::kEnd || peek().isSymbol(";")) return unexpected("a value, as in SET 'key' = 'value'");
    const size_t value_start = peek().offset;
    size_t value_end = value_start;  // The end of its last token: a comment after it is not part of it.
    for (; !(peek().kind == TokenKind::kEnd || peek().isSymbol(";")); ++i_) value_end = peek().offset + peek().text.size();
    st->value = trimmed(text_.substr(value_start, value_end - value_start));
    return st;
  }

  Result<std::unique_ptr<ast::Statement>> createTable(std::unique_ptr<ast::Statement> st) {
    st->kind = ast::Statement::Kind::kCreateTable;
    if (st->replace != ast::Statement::Replace::kNo) {
      // Flink's RTAS: the query's columns into a table defined anew, its rows inserted.
      const Pos pos = st->pos;
      if (peek().isKeyword("IF")) return unexpected("a table name (REPLACE TABLE takes no IF NOT EXISTS)");
      EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
      if (peek().isSymbol("(")) {
        return sqlError(peek().pos, "REPLACE TABLE AS SELECT syntax does not support to specify explicit columns yet.");
      }
      EDDY_ASSIGN_OR_RETURN(st, tableOptions(std::move(st)));
      if (!st->partition_keys.empty()) {
        return sqlError(pos, "REPLACE TABLE AS SELECT syntax does not support to create partitioned table yet.");
      }
      if (!st->like_table.empty()) return sqlError(pos, "REPLACE TABLE AS SELECT syntax does not support LIKE.");
      return st;
    }
    if (acceptKeyword("IF")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("NOT"));
      EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
      st->if_not_exists = true;
    }
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
    if (!peek().isSymbol("(")) return tableOptions(std::move(st));  // CREATE TABLE t WITH (...) AS SELECT
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    do {
      EDDY_RETURN_IF_ERROR(tableElement(*st).status());
    } while (acceptSymbol(","));
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    if (acceptKeyword("COMMENT")) EDDY_RETURN_IF_ERROR(stringLiteral("a comment").status());
    EDDY_ASSIGN_OR_RETURN(st, tableOptions(std::move(st)));
    if (st->query) return sqlError(st->pos, "CREATE TABLE ... AS SELECT takes its columns from the query, not a column list");
    return st;
  }

  // One element of a table's definition into `st`: a column (physical, computed or
  // metadata), WATERMARK FOR, or PRIMARY KEY. Returns whether it was a column.
  Result<bool> tableElement(ast::Statement& st) {
    if (acceptKeyword("WATERMARK")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("FOR"));
      EDDY_ASSIGN_OR_RETURN(st.watermark_column, identifier("the rowtime column"));
      EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
      EDDY_ASSIGN_OR_RETURN(st.watermark, expr());
      return false;
    }
    if (peek().isKeyword("PRIMARY") || peek().isKeyword("CONSTRAINT")) {
      // One key per table, as Flink's SqlCreateTable validates it.
      if (!st.primary_key.empty()) return sqlError(peek().pos, "Duplicate primary key definition");
      if (acceptKeyword("CONSTRAINT")) EDDY_RETURN_IF_ERROR(identifier("a constraint name").status());
      EDDY_RETURN_IF_ERROR(expectKeyword("PRIMARY"));
      EDDY_RETURN_IF_ERROR(expectKeyword("KEY"));
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      EDDY_ASSIGN_OR_RETURN(std::vector<std::string> key, nameList("a column name"));
      st.primary_key.insert(st.primary_key.end(), key.begin(), key.end());
      EDDY_RETURN_IF_ERROR(notEnforced());
      return false;
    }
    ast::ColumnDef col;
    col.pos = peek().pos;
    EDDY_ASSIGN_OR_RETURN(col.name, identifier("a column name"));
    if (acceptKeyword("AS")) {
      EDDY_ASSIGN_OR_RETURN(col.computed, expr());
    } else {
      EDDY_ASSIGN_OR_RETURN(col.type, dataType());
      if (acceptKeyword("METADATA")) {
        col.metadata = true;
        if (acceptKeyword("FROM")) {
          EDDY_ASSIGN_OR_RETURN(col.metadata_key, stringLiteral("a metadata key"));
        }
        if (acceptKeyword("VIRTUAL")) col.is_virtual = true;
      }
      if (peek().isKeyword("PRIMARY")) {
        if (!st.primary_key.empty()) return sqlError(peek().pos, "Duplicate primary key definition");
        ++i_;
        EDDY_RETURN_IF_ERROR(expectKeyword("KEY"));
        EDDY_RETURN_IF_ERROR(notEnforced());
        st.primary_key.push_back(col.name);
      }
    }
    if (acceptKeyword("COMMENT")) EDDY_RETURN_IF_ERROR(stringLiteral("a comment").status());
    st.columns.push_back(std::move(col));
    return true;
  }

  // ALTER TABLE's ADD / MODIFY elements, one or a parenthesized list, each column with
  // its place (FIRST, AFTER c, or none).
  Status alterElements(ast::Statement& st) {
    const bool list = acceptSymbol("(");
    do {
      EDDY_ASSIGN_OR_RETURN(bool column, tableElement(st));
      if (!column) continue;
      std::string place;
      if (acceptKeyword("FIRST")) {
        place = "FIRST";
      } else if (acceptKeyword("AFTER")) {
        EDDY_ASSIGN_OR_RETURN(std::string after, identifier("a column name after AFTER"));
        place = "AFTER " + after;
      }
      st.column_places.push_back(place);
    } while (list && acceptSymbol(","));
    if (list) EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return Status::ok();
  }

  // [PARTITIONED BY (...)] [WITH (...)] [AS query] after a table's name or columns.
  Result<std::unique_ptr<ast::Statement>> tableOptions(std::unique_ptr<ast::Statement> st) {
    if (acceptKeyword("PARTITIONED")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      EDDY_ASSIGN_OR_RETURN(st->partition_keys, nameList("a column name"));
    }
    if (acceptKeyword("WITH")) EDDY_RETURN_IF_ERROR(withOptions(st->options));
    if (acceptKeyword("LIKE")) {
      EDDY_ASSIGN_OR_RETURN(st->like_table, qualifiedName("the table to copy"));
      if (acceptSymbol("(")) {
        do {
          if (!peek().isKeyword("INCLUDING") && !peek().isKeyword("EXCLUDING") && !peek().isKeyword("OVERWRITING")) {
            return unexpected("INCLUDING, EXCLUDING or OVERWRITING");
          }
          const Token strategy = next();
          static const char* const kFeatures[] = {"ALL", "CONSTRAINTS", "GENERATED", "METADATA", "OPTIONS",
                                                  "PARTITIONS", "WATERMARKS"};
          const char* feature = nullptr;
          for (const char* f : kFeatures) {
            if (peek().isKeyword(f)) feature = f;
          }
          if (!feature) return unexpected("ALL, CONSTRAINTS, GENERATED, METADATA, OPTIONS, PARTITIONS or WATERMARKS");
          const Pos at = next().pos;
          const std::string how = upper(strategy.text);
          if (how == "OVERWRITING" && (std::string(feature) == "ALL" || std::string(feature) == "CONSTRAINTS" ||
                                       std::string(feature) == "PARTITIONS")) {
            return sqlError(at, std::string("Illegal merging strategy 'OVERWRITING' for '") + feature + "' option.");
          }
          st->like_options.emplace_back(how, feature);
        } while (!acceptSymbol(")"));
      }
      if (st->query) return sqlError(st->pos, "CREATE TABLE ... LIKE cannot also be AS SELECT");
      return st;
    }
    if (acceptKeyword("AS")) {
      EDDY_ASSIGN_OR_RETURN(st->query, query());
    } else if (st->replace != ast::Statement::Replace::kNo) {
      return unexpected("AS and a query: REPLACE TABLE t WITH (...) AS SELECT ...");
    } else if (st->columns.empty()) {
      return unexpected("'(' and the table's columns, AS and a query, or LIKE and a table");
    }
    return st;
  }
  // ALTER TABLE [IF EXISTS] t RENAME TO u | RENAME c TO d | ADD ... | MODIFY ... | DROP ...
  // | SET ('k' = 'v', ...) | RESET ('k', ...).
  Result<std::unique_ptr<ast::Statement>> alterTable(std::unique_ptr<ast::Statement> st) {
    st->kind = ast::Statement::Kind::kAlterTable;
    EDDY_RETURN_IF_ERROR(expectKeyword("TABLE"));
    if (acceptKeyword("IF")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
      st->if_exists = true;
    }
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a table name"));
    if (acceptKeyword("RENAME")) {
      if (!acceptKeyword("TO")) {  // RENAME column TO new_name
        EDDY_ASSIGN_OR_RETURN(std::string column, identifier("a column name"));
        EDDY_RETURN_IF_ERROR(expectKeyword("TO"));
        st->value = "RENAME COLUMN";
        st->alter_names.push_back(column);
        EDDY_ASSIGN_OR_RETURN(st->key, identifier("the new column name"));
        return st;
      }
      st->value = "RENAME";
      EDDY_ASSIGN_OR_RETURN(st->key, qualifiedName("the new table name"));
      return st;
    }
    if (acceptKeyword("ADD") || acceptKeyword("MODIFY")) {
      st->value = upper(t_[i_ - 1].text);
      EDDY_RETURN_IF_ERROR(alterElements(*st));
      return st;
    }
    if (acceptKeyword("DROP")) {
      st->value = "DROP";
      if (acceptKeyword("WATERMARK")) {
        st->drop_watermark = true;
      } else if (acceptKeyword("PRIMARY")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("KEY"));
        st->drop_primary_key = true;
      } else if (acceptKeyword("CONSTRAINT")) {
        EDDY_RETURN_IF_ERROR(identifier("a constraint name").status());
        st->drop_primary_key = true;
      } else {
        const bool list = acceptSymbol("(");
        do {
          EDDY_ASSIGN_OR_RETURN(std::string c, identifier("a column name"));
          st->alter_names.push_back(c);
        } while (list && acceptSymbol(","));
        if (list) EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      }
      return st;
    }
    const bool set = acceptKeyword("SET");
    if (!set && !acceptKeyword("RESET")) return unexpected("RENAME, ADD, MODIFY, DROP, SET or RESET");
    st->value = set ? "SET" : "RESET";
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    do {
      EDDY_ASSIGN_OR_RETURN(std::string k, stringLiteral("a quoted option key"));
      std::string v;
      if (set) {
        EDDY_RETURN_IF_ERROR(expectSymbol("="));
        EDDY_ASSIGN_OR_RETURN(v, stringLiteral("a quoted option value"));
      }
      st->options.emplace_back(std::move(k), std::move(v));
    } while (acceptSymbol(","));
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return st;
  }

  Status notEnforced() {
    if (!acceptKeyword("NOT")) {
      return sqlError(peek().pos,
                      "Flink supports only PRIMARY KEY ... NOT ENFORCED, found " + peek().describe());
    }
    return expectKeyword("ENFORCED");
  }

  // ALTER VIEW v RENAME TO w | ALTER VIEW v AS query.
  Result<std::unique_ptr<ast::Statement>> alterView(std::unique_ptr<ast::Statement> st) {
    st->kind = ast::Statement::Kind::kAlterView;
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a view name"));
    if (acceptKeyword("RENAME")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("TO"));
      st->value = "RENAME";
      EDDY_ASSIGN_OR_RETURN(st->key, qualifiedName("the new view name"));
      return st;
    }
    if (!peek().isKeyword("AS")) return unexpected("RENAME TO or AS after ALTER VIEW " + st->name);
    ++i_;
    st->value = "AS";
    return viewQuery(std::move(st));
  }

  // A view's `AS query` (after AS): the query and its text as written.
  Result<std::unique_ptr<ast::Statement>> viewQuery(std::unique_ptr<ast::Statement> st) {
    const size_t start = peek().offset;
    EDDY_ASSIGN_OR_RETURN(st->query, query());
    st->query_text = std::string(text_.substr(start, peek().offset - start));
    while (!st->query_text.empty() && std::isspace(static_cast<unsigned char>(st->query_text.back()))) {
      st->query_text.pop_back();
    }
    return st;
  }

  Result<std::unique_ptr<ast::Statement>> createView(std::unique_ptr<ast::Statement> st) {
    st->kind = ast::Statement::Kind::kCreateView;
    if (acceptKeyword("IF")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("NOT"));
      EDDY_RETURN_IF_ERROR(expectKeyword("EXISTS"));
      st->if_not_exists = true;
    }
    EDDY_ASSIGN_OR_RETURN(st->name, qualifiedName("a view name"));
    if (acceptSymbol("(")) {
      EDDY_ASSIGN_OR_RETURN(st->view_columns, nameList("a column name"));
    }
    EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
    return viewQuery(std::move(st));
  }

  Result<ast::DataType> dataType() {
    ast::DataType t;
    t.pos = peek().pos;
    if (peek().kind != TokenKind::kIdentifier) return unexpected("a data type");
    t.name = upper(next().text);
    if (t.name == "CHARACTER" && acceptKeyword("VARYING")) t.name = "VARCHAR";
    if (t.name == "DOUBLE") acceptKeyword("PRECISION");
    if (t.name == "TIMESTAMP" || t.name == "TIME") {
      if (acceptSymbol("(")) {
        EDDY_ASSIGN_OR_RETURN(t.precision, integer());
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      }
      if (acceptKeyword("WITH")) {
        bool local = acceptKeyword("LOCAL");
        EDDY_RETURN_IF_ERROR(expectKeyword("TIME"));
        EDDY_RETURN_IF_ERROR(expectKeyword("ZONE"));
        if (!local) return sqlError(t.pos, "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP_LTZ");
        t.name = "TIMESTAMP_LTZ";
      } else if (acceptKeyword("WITHOUT")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("TIME"));
        EDDY_RETURN_IF_ERROR(expectKeyword("ZONE"));
      }
    } else if (t.name == "INTERVAL") {
      // INTERVAL DAY TO SECOND(3) etc.: kept as a unit text.
      while (peek().kind == TokenKind::kIdentifier &&
             (peek().isKeyword("YEAR") || peek().isKeyword("MONTH") || peek().isKeyword("DAY") ||
              peek().isKeyword("HOUR") || peek().isKeyword("MINUTE") || peek().isKeyword("SECOND") ||
              peek().isKeyword("TO"))) {
        ++i_;
        if (acceptSymbol("(")) {
          EDDY_RETURN_IF_ERROR(integer().status());
          EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        }
      }
    } else if (t.name == "ROW" && (peek().isSymbol("<") || peek().isSymbol("("))) {
      // ROW<name type, ...> or ROW(name type, ...).
      std::string close = next().text == "<" ? ">" : ")";
      do {
        ast::RowField f;
        EDDY_ASSIGN_OR_RETURN(f.name, identifier("a field name"));
        EDDY_ASSIGN_OR_RETURN(ast::DataType ft, dataType());
        f.type = std::make_shared<ast::DataType>(std::move(ft));
        if (acceptKeyword("COMMENT")) {
          if (peek().kind != TokenKind::kString) return unexpected("a comment string");
          ++i_;
        }
        t.fields.push_back(std::move(f));
      } while (acceptSymbol(","));
      EDDY_RETURN_IF_ERROR(expectSymbol(close));
    } else if ((t.name == "ARRAY" || t.name == "MAP" || t.name == "MULTISET") && peek().isSymbol("<")) {
      // ARRAY<element>, MULTISET<element> or MAP<key, value>: the element types as
      // unnamed fields.
      ++i_;
      for (int k = 0; k < (t.name == "MAP" ? 2 : 1); ++k) {
        if (k > 0) EDDY_RETURN_IF_ERROR(expectSymbol(","));
        EDDY_ASSIGN_OR_RETURN(ast::DataType et, dataType());
        t.fields.push_back({"", std::make_shared<ast::DataType>(std::move(et))});
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(">"));
    } else if (t.name == "ROW" || t.name == "ARRAY" || t.name == "MAP" || t.name == "MULTISET") {
      return sqlError(t.pos, "data type " + t.name + " is not supported yet");
    } else if (acceptSymbol("(")) {
      EDDY_ASSIGN_OR_RETURN(t.precision, integer());
      if (acceptSymbol(",")) {
        EDDY_ASSIGN_OR_RETURN(t.scale, integer());
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    }
    if (acceptKeyword("NOT")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("NULL"));
      t.not_null = true;
    } else {
      acceptKeyword("NULL");
    }
    return t;
  }
  // `a, b, ...)`: the names of a parenthesized list whose '(' was just read.
  Result<std::vector<std::string>> nameList(const char* what) {
    std::vector<std::string> names;
    do {
      EDDY_ASSIGN_OR_RETURN(std::string n, identifier(what));
      names.push_back(std::move(n));
    } while (acceptSymbol(","));
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return names;
  }

  Result<int> integer() {
    const Token& t = peek();
    EDDY_ASSIGN_OR_RETURN(int64_t v, count("an integer"));
    if (v > INT32_MAX) return sqlError(t.pos, "integer " + t.text + " is out of range");
    return static_cast<int>(v);
  }
  // A non-negative integer literal of 64 bits (`what` names it in the error).
  Result<int64_t> count(const char* what) {
    if (peek().kind != TokenKind::kInteger) return unexpected(what);
    const Token& t = next();
    int64_t v = 0;
    if (!integerValue(t.text, &v)) return sqlError(t.pos, "integer " + t.text + " is out of range");
    return v;
  }

  // ---- Queries.
  Result<std::shared_ptr<ast::Query>> query() {
    auto q = std::make_shared<ast::Query>();
    q->pos = peek().pos;
    if (acceptKeyword("WITH")) {
      do {
        ast::Cte cte;
        cte.pos = peek().pos;
        EDDY_ASSIGN_OR_RETURN(cte.name, identifier("a name for the WITH query"));
        EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        EDDY_ASSIGN_OR_RETURN(cte.query, query());
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        q->with.push_back(std::move(cte));
      } while (acceptSymbol(","));
    }
    while (true) {
      if (peek().isSymbol("(")) {
        ++i_;
        EDDY_ASSIGN_OR_RETURN(auto sub, query());
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        q->union_queries.push_back(sub);
        q->selects.push_back(nullptr);
      } else {
        EDDY_ASSIGN_OR_RETURN(auto s, select());
        q->selects.push_back(std::move(s));
        q->union_queries.push_back(nullptr);
      }
      if (peek().isKeyword("UNION") || peek().isKeyword("INTERSECT") || peek().isKeyword("EXCEPT")) {
        Token op = next();
        const std::string name = upper(op.text);
        const bool all = acceptKeyword("ALL");
        if (!all) acceptKeyword("DISTINCT");
        using Op = ast::Query::SetOp;
        if (name == "UNION") {
          q->set_ops.push_back(all ? Op::kUnionAll : Op::kUnion);
        } else if (name == "INTERSECT") {
          q->set_ops.push_back(all ? Op::kIntersectAll : Op::kIntersect);
        } else {
          q->set_ops.push_back(all ? Op::kExceptAll : Op::kExcept);
        }
        continue;
      }
      break;
    }
    if (acceptKeyword("ORDER")) EDDY_RETURN_IF_ERROR(orderBy(q->order_by));
    // Calcite's order: [LIMIT n] [OFFSET m [ROW|ROWS]] [FETCH FIRST|NEXT n ROW|ROWS ONLY].
    if (acceptKeyword("LIMIT")) {
      EDDY_ASSIGN_OR_RETURN(q->limit, count("a row count after LIMIT"));
    }
    if (acceptKeyword("OFFSET")) {
      EDDY_ASSIGN_OR_RETURN(q->offset, count("a row count after OFFSET"));
      if (!acceptKeyword("ROWS")) acceptKeyword("ROW");
    }
    if (!q->limit && acceptKeyword("FETCH")) {
      // FETCH FIRST|NEXT n ROW|ROWS ONLY: the standard's LIMIT.
      if (!acceptKeyword("FIRST") && !acceptKeyword("NEXT")) return unexpected("FIRST or NEXT after FETCH");
      EDDY_ASSIGN_OR_RETURN(q->limit, count("a row count after FETCH FIRST"));
      if (!acceptKeyword("ROWS") && !acceptKeyword("ROW")) return unexpected("ROWS");
      EDDY_RETURN_IF_ERROR(expectKeyword("ONLY"));
    }
    return q;
  }

  Result<std::shared_ptr<ast::Select>> select() {
    // `OVER w` names a window of this SELECT's WINDOW clause, which comes later; nested
    // SELECTs have their own.
    std::vector<std::pair<Token, Expr*>> outer_refs;
    std::swap(outer_refs, window_refs_);
    auto restore = [&] { std::swap(outer_refs, window_refs_); };
    Result<std::shared_ptr<ast::Select>> s = selectBody();
    if (s.isOk()) {
      for (auto& [name, over] : window_refs_) {
        auto w = windows_.find(upper(name.text));
        if (w == windows_.end()) {
          restore();
          return sqlError(name.pos, "Window '" + name.text + "' not found");
        }
        over->over = w->second;
      }
    }
    windows_.clear();
    window_refs_.clear();
    restore();
    return s;
  }

  Result<std::shared_ptr<ast::Select>> selectBody() {
    auto s = std::make_shared<ast::Select>();
    s->pos = peek().pos;
    if (peek().isKeyword("VALUES")) return values(std::move(s));
    EDDY_RETURN_IF_ERROR(expectKeyword("SELECT"));
    EDDY_RETURN_IF_ERROR(queryHints(*s));
    if (acceptKeyword("DISTINCT")) {
      s->distinct = true;
    } else {
      acceptKeyword("ALL");
    }
    do {
      ast::SelectItem item;
      item.pos = peek().pos;
      EDDY_ASSIGN_OR_RETURN(item.expr, expr());
      if (acceptKeyword("AS")) {
        EDDY_ASSIGN_OR_RETURN(item.alias, identifier("an alias"));
      } else if (isIdentifier(peek())) {
        item.alias = next().text;
      }
      s->items.push_back(std::move(item));
    } while (acceptSymbol(","));
    if (acceptKeyword("FROM")) {
      EDDY_ASSIGN_OR_RETURN(s->from, fromClause());
    }
    if (acceptKeyword("WHERE")) {
      EDDY_ASSIGN_OR_RETURN(s->where, expr());
    }
    if (acceptKeyword("GROUP")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
      EDDY_RETURN_IF_ERROR(groupBy(*s));
    }
    if (acceptKeyword("HAVING")) {
      EDDY_ASSIGN_OR_RETURN(s->having, expr());
    }
    if (acceptKeyword("WINDOW")) {
      // WINDOW w AS (PARTITION BY ... ORDER BY ... ROWS|RANGE ...) [, ...]
      do {
        Token name = peek();
        EDDY_ASSIGN_OR_RETURN(std::string n, identifier("a window name"));
        EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
        EDDY_ASSIGN_OR_RETURN(auto spec, windowSpec());
        if (!windows_.emplace(upper(n), spec).second) return sqlError(name.pos, "Window '" + n + "' is defined twice");
      } while (acceptSymbol(","));
    }
    return s;
  }

  // VALUES (e, ...), (e, ...): as SELECT * FROM that table of rows.
  Result<std::shared_ptr<ast::Select>> values(std::shared_ptr<ast::Select> s) {
    auto ref = std::make_unique<ast::TableRef>();
    ref->kind = ast::TableRef::Kind::kValues;
    ref->pos = next().pos;  // VALUES
    do {
      Pos row_pos = peek().pos;
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      std::vector<ExprPtr> row;
      do {
        EDDY_ASSIGN_OR_RETURN(ExprPtr e, expr());
        row.push_back(std::move(e));
      } while (acceptSymbol(","));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      if (!ref->rows.empty() && row.size() != ref->rows[0].size()) {
        return sqlError(row_pos, "VALUES rows must have the same number of values: this one has " +
                                     std::to_string(row.size()) + ", the first " + std::to_string(ref->rows[0].size()));
      }
      ref->rows.push_back(std::move(row));
    } while (acceptSymbol(","));
    ast::SelectItem star;
    star.pos = ref->pos;
    star.expr = std::make_unique<Expr>();
    star.expr->kind = Expr::Kind::kStar;
    star.expr->pos = ref->pos;
    s->items.push_back(std::move(star));
    s->from = std::move(ref);
    return s;
  }

  // `PARTITION BY e, ...` if it comes next (nothing otherwise).
  Result<std::vector<ExprPtr>> partitionBy() {
    std::vector<ExprPtr> keys;
    if (!acceptKeyword("PARTITION")) return keys;
    EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
    do {
      EDDY_ASSIGN_OR_RETURN(ExprPtr k, expr());
      keys.push_back(std::move(k));
    } while (acceptSymbol(","));
    return keys;
  }

  // After ORDER: `BY e [ASC | DESC] [NULLS FIRST | LAST], ...` into `items`.
  Status orderBy(std::vector<ast::OrderItem>& items) {
    EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
    do {
      ast::OrderItem item;
      EDDY_ASSIGN_OR_RETURN(item.expr, expr());
      if (acceptKeyword("DESC")) {
        item.desc = true;
      } else {
        acceptKeyword("ASC");
      }
      EDDY_RETURN_IF_ERROR(nullOrder(item.nulls_first));
      items.push_back(std::move(item));
    } while (acceptSymbol(","));
    return Status::ok();
  }

  // (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ... PRECEDING AND CURRENT ROW)
  Result<std::shared_ptr<Expr::Window>> windowSpec() {
    auto w = std::make_shared<Expr::Window>();
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    EDDY_ASSIGN_OR_RETURN(w->partition_by, partitionBy());
    if (acceptKeyword("ORDER")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
      do {
        EDDY_ASSIGN_OR_RETURN(ExprPtr p, expr());
        w->order_by.push_back(std::move(p));
        bool desc = acceptKeyword("DESC");
        if (!desc) acceptKeyword("ASC");
        w->order_desc.push_back(desc);
        w->order_nulls_first.emplace_back();
        EDDY_RETURN_IF_ERROR(nullOrder(w->order_nulls_first.back()));
      } while (acceptSymbol(","));
    }
    if (peek().isKeyword("ROWS") || peek().isKeyword("RANGE")) {
      w->rows = upper(next().text) == "ROWS";
      w->has_frame = true;
      // BETWEEN start AND end, or a start alone (ending at the current row). A start may
      // lie after the current row and an end before it, as Calcite allows, but not past
      // a CURRENT ROW on the other side.
      const bool between = acceptKeyword("BETWEEN");
      const Pos start = peek().pos;
      if (acceptKeyword("CURRENT")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("ROW"));
        w->unbounded = false;
        w->current_start = true;
      } else if (acceptKeyword("UNBOUNDED")) {
        w->unbounded = true;
        EDDY_RETURN_IF_ERROR(expectKeyword("PRECEDING"));
      } else {
        w->unbounded = false;
        EDDY_ASSIGN_OR_RETURN(w->preceding, additive());
        w->start_following = acceptKeyword("FOLLOWING");
        if (!w->start_following) EDDY_RETURN_IF_ERROR(expectKeyword("PRECEDING"));
        if (w->start_following && !between) {
          return sqlError(start, "a window frame that is one bound must start at or before the current row");
        }
      }
      if (between) {
        EDDY_RETURN_IF_ERROR(expectKeyword("AND"));
        const Pos end = peek().pos;
        if (acceptKeyword("CURRENT")) {
          EDDY_RETURN_IF_ERROR(expectKeyword("ROW"));
          if (w->start_following) {
            return sqlError(start, "Lower frame boundary cannot be FOLLOWING when upper boundary is CURRENT ROW");
          }
        } else if (acceptKeyword("UNBOUNDED")) {
          EDDY_RETURN_IF_ERROR(expectKeyword("FOLLOWING"));
          w->unbounded_following = true;
        } else {
          EDDY_ASSIGN_OR_RETURN(w->following, additive());
          w->end_preceding = acceptKeyword("PRECEDING");
          if (!w->end_preceding) EDDY_RETURN_IF_ERROR(expectKeyword("FOLLOWING"));
          if (w->end_preceding && (w->current_start || w->start_following)) {
            return sqlError(end, std::string("Upper frame boundary cannot be PRECEDING when lower boundary is ") +
                                    (w->current_start ? "CURRENT ROW" : "FOLLOWING"));
          }
        }
      }
    }
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return w;
  }

  // GROUP BY a, b | GROUPING SETS ((a, b), (a), ()) | ROLLUP (a, b) | CUBE (a, b), mixed
  // with plain expressions (which join every set).
  Status groupBy(ast::Select& s) {
    std::vector<std::vector<std::vector<int>>> factors;  // Cartesian product of these.
    do {
      if (peek().isKeyword("GROUPING") && peek(1).isKeyword("SETS")) {
        i_ += 2;
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        std::vector<std::vector<int>> sets;
        do {
          std::vector<int> set;
          if (acceptSymbol("(")) {
            if (!acceptSymbol(")")) {
              do {
                EDDY_ASSIGN_OR_RETURN(int idx, groupExpr(s));
                set.push_back(idx);
              } while (acceptSymbol(","));
              EDDY_RETURN_IF_ERROR(expectSymbol(")"));
            }
          } else {
            EDDY_ASSIGN_OR_RETURN(int idx, groupExpr(s));
            set.push_back(idx);
          }
          sets.push_back(std::move(set));
        } while (acceptSymbol(","));
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        factors.push_back(std::move(sets));
        s.has_grouping_sets = true;
      } else if ((peek().isKeyword("ROLLUP") || peek().isKeyword("CUBE")) && peek(1).isSymbol("(")) {
        bool cube = peek().isKeyword("CUBE");
        i_ += 2;
        std::vector<int> cols;
        do {
          EDDY_ASSIGN_OR_RETURN(int idx, groupExpr(s));
          cols.push_back(idx);
        } while (acceptSymbol(","));
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        std::vector<std::vector<int>> sets;
        if (cube) {
          // Flink orders CUBE's sets from all columns down, by bit mask.
          size_t n = cols.size();
          for (size_t mask = (size_t{1} << n); mask-- > 0;) {
            std::vector<int> set;
            for (size_t b = 0; b < n; ++b) {
              if (mask & (size_t{1} << (n - 1 - b))) set.push_back(cols[b]);
            }
            sets.push_back(std::move(set));
          }
        } else {
          for (size_t k = cols.size() + 1; k-- > 0;) sets.emplace_back(cols.begin(), cols.begin() + static_cast<long>(k));
        }
        factors.push_back(std::move(sets));
        s.has_grouping_sets = true;
      } else {
        EDDY_ASSIGN_OR_RETURN(int idx, groupExpr(s));
        factors.push_back({{idx}});
      }
    } while (acceptSymbol(","));
    if (!s.has_grouping_sets) return Status::ok();
    std::vector<std::vector<int>> product = {{}};
    for (const auto& f : factors) {
      std::vector<std::vector<int>> next_product;
      for (const auto& p : product) {
        for (const auto& set : f) {
          std::vector<int> merged = p;
          for (int idx : set) {
            if (std::find(merged.begin(), merged.end(), idx) == merged.end()) merged.push_back(idx);
          }
          next_product.push_back(std::move(merged));
        }
      }
      product = std::move(next_product);
    }
    s.grouping_sets = std::move(product);
    return Status::ok();
  }
  Result<int> groupExpr(ast::Select& s) {
    EDDY_ASSIGN_OR_RETURN(ExprPtr e, expr());
    s.group_by.push_back(std::move(e));
    return static_cast<int>(s.group_by.size() - 1);
  }

  Result<std::unique_ptr<ast::TableRef>> fromClause() {
    EDDY_ASSIGN_OR_RETURN(auto left, tableRef());
    while (true) {
      Pos pos = peek().pos;
      ast::TableRef::JoinType type;
      const bool natural = acceptKeyword("NATURAL");
      if (!natural && acceptSymbol(",")) {
        type = ast::TableRef::JoinType::kCross;
      } else if (acceptKeyword("CROSS")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("JOIN"));
        type = ast::TableRef::JoinType::kCross;
      } else if (acceptKeyword("JOIN")) {
        type = ast::TableRef::JoinType::kInner;
      } else if (acceptKeyword("INNER")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("JOIN"));
        type = ast::TableRef::JoinType::kInner;
      } else if (peek().isKeyword("LEFT") || peek().isKeyword("RIGHT") || peek().isKeyword("FULL")) {
        std::string w = upper(next().text);
        acceptKeyword("OUTER");
        EDDY_RETURN_IF_ERROR(expectKeyword("JOIN"));
        type = w == "LEFT" ? ast::TableRef::JoinType::kLeft
               : w == "RIGHT" ? ast::TableRef::JoinType::kRight
                              : ast::TableRef::JoinType::kFull;
      } else if (natural) {
        return unexpected("JOIN after NATURAL");
      } else {
        break;
      }
      auto join = std::make_unique<ast::TableRef>();
      join->kind = ast::TableRef::Kind::kJoin;
      join->pos = pos;
      join->join = type;
      join->natural = natural;
      join->left = std::move(left);
      EDDY_ASSIGN_OR_RETURN(join->right, tableRef());
      if (natural) {
        if (type == ast::TableRef::JoinType::kCross) return sqlError(pos, "NATURAL CROSS JOIN is not a join");
      } else if (type != ast::TableRef::JoinType::kCross && acceptKeyword("USING")) {
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        EDDY_ASSIGN_OR_RETURN(join->using_columns, nameList("a column name"));
      } else if (type != ast::TableRef::JoinType::kCross) {
        EDDY_RETURN_IF_ERROR(expectKeyword("ON"));
        EDDY_ASSIGN_OR_RETURN(join->on, expr());
      }
      left = std::move(join);
    }
    return left;
  }

  // A window TVF's arguments, positional — `TABLE t [PARTITION BY k], DESCRIPTOR(ts),
  // INTERVAL ...` — or named as Flink's docs write them — `DATA => TABLE t, TIMECOL =>
  // DESCRIPTOR(ts), SIZE => INTERVAL ...` (also SLIDE, STEP, GAP, OFFSET), in any order,
  // put back in the positional order: the input, the descriptor, then (SLIDE | STEP),
  // (SIZE | GAP), OFFSET.
  Status windowArguments(ast::TableRef& ref) {
    std::vector<std::pair<std::string, ExprPtr>> named;
    bool first = true;
    bool has_input = false;
    bool any_named = false;
    do {
      std::string name;
      if (peek().kind == TokenKind::kIdentifier && peek(1).isSymbol("=>")) {
        any_named = true;
        name = upper(next().text);
        ++i_;
        static const std::set<std::string> kNames = {"DATA", "TIMECOL", "SIZE", "SLIDE", "STEP", "GAP", "OFFSET"};
        if (!kNames.count(name)) {
          return sqlError(t_[i_ - 2].pos, "unknown argument '" + name + "' of " + ref.name +
                                              " (DATA, TIMECOL, SIZE, SLIDE, STEP, GAP, OFFSET)");
        }
      } else if (any_named) {
        return unexpected("a named argument (NAME => value) after named ones");
      }
      if ((name.empty() && first) || name == "DATA") {
        EDDY_RETURN_IF_ERROR(windowInput(ref));
        has_input = true;
      } else if (peek().isKeyword("DESCRIPTOR")) {
        ++i_;
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        EDDY_ASSIGN_OR_RETURN(ref.descriptor, nameList("a column name"));
      } else {
        EDDY_ASSIGN_OR_RETURN(ExprPtr a, expr());
        if (name.empty()) {
          ref.args.push_back(std::move(a));
        } else {
          named.emplace_back(name, std::move(a));
        }
      }
      first = false;
    } while (acceptSymbol(","));
    if (!has_input) return sqlError(ref.pos, ref.name + " needs its input: DATA => TABLE t");
    for (const char* n : {"SLIDE", "STEP", "SIZE", "GAP", "OFFSET"}) {
      for (auto& [k, v] : named) {
        if (k == n && v) ref.args.push_back(std::move(v));
      }
    }
    return Status::ok();
  }

  // TABLE t or TABLE (SELECT ...), then PARTITION BY k or (k1, k2): a window TVF's input.
  Status windowInput(ast::TableRef& ref) {
    EDDY_RETURN_IF_ERROR(expectKeyword("TABLE"));
    ref.input = std::make_unique<ast::TableRef>();
    ref.input->pos = peek().pos;
    if (acceptSymbol("(")) {
      // TABLE (SELECT ...): a query as the function's input.
      ref.input->kind = ast::TableRef::Kind::kSubquery;
      EDDY_ASSIGN_OR_RETURN(ref.input->query, query());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else {
      EDDY_ASSIGN_OR_RETURN(ref.input->name, qualifiedName("a table name"));
    }
    if (acceptKeyword("PARTITION")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("BY"));
      // Several keys need parentheses: `PARTITION BY (a, b), DESCRIPTOR(ts)`.
      bool paren = acceptSymbol("(");
      do {
        EDDY_ASSIGN_OR_RETURN(ExprPtr k, expr());
        ref.partition_keys.push_back(std::move(k));
      } while (paren && acceptSymbol(","));
      if (paren) EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    }
    return Status::ok();
  }

  Result<std::unique_ptr<ast::TableRef>> tableRef() {
    auto ref = std::make_unique<ast::TableRef>();
    ref->pos = peek().pos;
    if (peek().isKeyword("LATERAL") && peek(1).isSymbol("(")) {
      // LATERAL (SELECT ...): a subquery that may read the columns of the tables before it.
      i_ += 2;
      ref->kind = ast::TableRef::Kind::kSubquery;
      ref->lateral = true;
      EDDY_ASSIGN_OR_RETURN(ref->query, query());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else if (acceptKeyword("LATERAL")) {
      // LATERAL TABLE(f(args)): a table function called per row of the left side.
      EDDY_RETURN_IF_ERROR(expectKeyword("TABLE"));
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      ref->kind = ast::TableRef::Kind::kLateral;
      ref->pos = peek().pos;
      EDDY_ASSIGN_OR_RETURN(ref->call, expr());
      if (ref->call->kind != Expr::Kind::kCall) return sqlError(ref->pos, "LATERAL TABLE needs a table function call");
      ref->name = ref->call->name;
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else if (peek().isKeyword("UNNEST") && peek(1).isSymbol("(")) {
      // UNNEST(array_or_map) [WITH ORDINALITY]: a row per element, per row of the left side.
      ref->kind = ast::TableRef::Kind::kLateral;
      EDDY_ASSIGN_OR_RETURN(ref->call, functionCall());
      ref->name = "UNNEST";
      if (peek().isKeyword("WITH") && peek(1).isKeyword("ORDINALITY")) {
        i_ += 2;
        ref->with_ordinality = true;
      }
    } else if (peek().isSymbol("(")) {
      ++i_;
      ref->kind = ast::TableRef::Kind::kSubquery;
      EDDY_ASSIGN_OR_RETURN(ref->query, query());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else if (peek().isKeyword("TABLE") && peek(1).isSymbol("(")) {
      i_ += 2;
      ref->kind = ast::TableRef::Kind::kFunction;
      ref->pos = peek().pos;
      if (peek().kind != TokenKind::kIdentifier) return unexpected("a table function (TUMBLE, HOP, CUMULATE, SESSION)");
      ref->name = upper(next().text);
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      EDDY_RETURN_IF_ERROR(windowArguments(*ref));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else {
      EDDY_ASSIGN_OR_RETURN(ref->name, qualifiedName("a table name"));
      EDDY_RETURN_IF_ERROR(tableHints(ref->hint_options));
      if (peek().isKeyword("FOR") && peek(1).isKeyword("SYSTEM_TIME")) {
        i_ += 2;
        EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
        EDDY_RETURN_IF_ERROR(expectKeyword("OF"));
        EDDY_ASSIGN_OR_RETURN(ref->system_time, expr());
      }
    }
    if (acceptKeyword("MATCH_RECOGNIZE")) {
      auto match = std::make_unique<ast::TableRef>();
      match->kind = ast::TableRef::Kind::kMatchRecognize;
      match->pos = ref->pos;
      match->input = std::move(ref);
      EDDY_ASSIGN_OR_RETURN(match->match, matchRecognize());
      ref = std::move(match);
    }
    if (acceptKeyword("AS")) {
      EDDY_ASSIGN_OR_RETURN(ref->alias, identifier("an alias"));
    } else if (isIdentifier(peek())) {
      ref->alias = next().text;
    }
    if (!ref->alias.empty() && peek().isSymbol("(")) {
      ++i_;
      EDDY_ASSIGN_OR_RETURN(ref->column_aliases, nameList("a column alias"));
    }
    return ref;
  }

  // The parenthesized body of MATCH_RECOGNIZE, its clauses in the standard's order.
  Result<std::shared_ptr<ast::MatchRecognize>> matchRecognize() {
    auto m = std::make_shared<ast::MatchRecognize>();
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    EDDY_ASSIGN_OR_RETURN(m->partition_by, partitionBy());
    m->order_pos = peek().pos;
    if (acceptKeyword("ORDER")) EDDY_RETURN_IF_ERROR(orderBy(m->order_by));
    if (acceptKeyword("MEASURES")) {
      do {
        ast::SelectItem item;
        item.pos = peek().pos;
        EDDY_ASSIGN_OR_RETURN(item.expr, expr());
        const bool as = acceptKeyword("AS");
        for (const char* clause : {"PATTERN", "ONE", "ALL", "AFTER", "DEFINE"}) {
          if (!as && peek().isKeyword(clause)) return unexpected("a name for the measure (MEASURES expr AS name)");
        }
        EDDY_ASSIGN_OR_RETURN(item.alias, identifier("a name for the measure (MEASURES expr AS name)"));
        m->measures.push_back(std::move(item));
      } while (acceptSymbol(","));
    }
    if (peek().isKeyword("ALL") && peek(1).isKeyword("ROWS")) {
      return sqlError(peek().pos, "All rows per match mode is not supported yet.");
    }
    if (acceptKeyword("ONE")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("ROW"));
      EDDY_RETURN_IF_ERROR(expectKeyword("PER"));
      EDDY_RETURN_IF_ERROR(expectKeyword("MATCH"));
    }
    if (acceptKeyword("AFTER")) {
      EDDY_RETURN_IF_ERROR(expectKeyword("MATCH"));
      EDDY_RETURN_IF_ERROR(expectKeyword("SKIP"));
      m->skip_pos = peek().pos;
      if (acceptKeyword("PAST")) {
        EDDY_RETURN_IF_ERROR(expectKeyword("LAST"));
        EDDY_RETURN_IF_ERROR(expectKeyword("ROW"));
        m->skip = ast::MatchRecognize::Skip::kPastLastRow;
      } else {
        EDDY_RETURN_IF_ERROR(expectKeyword("TO"));
        if (peek().isKeyword("NEXT") && peek(1).isKeyword("ROW")) {
          i_ += 2;
          m->skip = ast::MatchRecognize::Skip::kToNextRow;
        } else {
          // SKIP TO [FIRST | LAST] var (LAST when neither is written, as in Calcite).
          m->skip = ast::MatchRecognize::Skip::kToLast;
          if (acceptKeyword("FIRST")) {
            m->skip = ast::MatchRecognize::Skip::kToFirst;
          } else {
            acceptKeyword("LAST");
          }
          m->skip_pos = peek().pos;
          EDDY_ASSIGN_OR_RETURN(m->skip_var, identifier("a pattern variable"));
        }
      }
    }
    m->pattern_pos = peek().pos;
    EDDY_RETURN_IF_ERROR(expectKeyword("PATTERN"));
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    EDDY_RETURN_IF_ERROR(patternTerms(*m));
    if (acceptKeyword("WITHIN")) {
      EDDY_ASSIGN_OR_RETURN(m->within, expr());
    }
    if (peek().isKeyword("SUBSET")) return sqlError(peek().pos, "SUBSET is not supported yet in MATCH_RECOGNIZE");
    EDDY_RETURN_IF_ERROR(expectKeyword("DEFINE"));
    do {
      ast::MatchRecognize::Definition d;
      d.pos = peek().pos;
      EDDY_ASSIGN_OR_RETURN(d.var, identifier("a pattern variable"));
      EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
      EDDY_ASSIGN_OR_RETURN(d.condition, expr());
      m->define.push_back(std::move(d));
    } while (acceptSymbol(","));
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return m;
  }

  // PATTERN's terms up to its closing parenthesis: variables with quantifiers, one after
  // another. The rest of the standard's pattern syntax is refused as Flink refuses it.
  Status patternTerms(ast::MatchRecognize& m) {
    while (!acceptSymbol(")")) {
      const Token& t = peek();
      if (t.isSymbol("(")) return sqlError(t.pos, "Group patterns are not supported yet.");
      if (t.isSymbol("|")) return sqlError(t.pos, "Currently, CEP doesn't support branching patterns.");
      if (t.isKeyword("PERMUTE")) return sqlError(t.pos, "Currently, CEP doesn't support PERMUTE patterns.");
      if (t.isSymbol("{")) return sqlError(t.pos, "Currently, CEP doesn't support '{-' '-}' patterns.");
      if (t.isSymbol("^") || t.isSymbol("$")) {
        return sqlError(t.pos, "Pattern anchors (^ and $) are not supported: a stream has no end to anchor to");
      }
      ast::PatternTerm term;
      term.pos = t.pos;
      EDDY_ASSIGN_OR_RETURN(term.var, identifier("a pattern variable"));
      if (acceptSymbol("*")) {
        term.min = 0;
        term.max = -1;
      } else if (acceptSymbol("+")) {
        term.max = -1;
      } else if (acceptSymbol("?")) {
        term.min = 0;
      } else if (acceptSymbol("{")) {
        // {n}, {n,}, {n,m}, {,m}
        if (peek().isSymbol("-")) return sqlError(peek().pos, "Currently, CEP doesn't support '{-' '-}' patterns.");
        term.min = 0;
        if (!peek().isSymbol(",")) {
          EDDY_ASSIGN_OR_RETURN(term.min, count("a repetition count"));
        }
        term.max = term.min;
        if (acceptSymbol(",")) {
          term.max = -1;
          if (!peek().isSymbol("}")) {
            EDDY_ASSIGN_OR_RETURN(term.max, count("a repetition count"));
          }
        }
        EDDY_RETURN_IF_ERROR(expectSymbol("}"));
        if (term.max == 0 || (term.max > 0 && term.max < term.min)) {
          return sqlError(term.pos, "a quantifier's bounds must be 0 <= n <= m and m > 0, not {" +
                                        std::to_string(term.min) + "," + std::to_string(term.max) + "}");
        }
      }
      if (acceptSymbol("?")) term.reluctant = true;
      m.pattern.push_back(std::move(term));
      if (peek().kind == TokenKind::kEnd) return unexpected("')' closing PATTERN");
    }
    if (m.pattern.empty()) return sqlError(m.pattern_pos, "PATTERN needs at least one variable");
    return Status::ok();
  }

  // Hints after a table name: /*+ OPTIONS('k' = 'v', ...) */ (Flink's dynamic table
  // options) into `options`; other hints there are errors.
  Status tableHints(std::vector<std::pair<std::string, std::string>>& options) {
    while (acceptSymbol("/*+")) {
      do {
        Token name = peek();
        EDDY_ASSIGN_OR_RETURN(std::string hint, identifier("a hint name"));
        if (upper(hint) != "OPTIONS") return sqlError(name.pos, "unknown table hint '" + hint + "' (OPTIONS is one)");
        EDDY_RETURN_IF_ERROR(withOptions(options));
      } while (acceptSymbol(","));
      EDDY_RETURN_IF_ERROR(expectSymbol("*/"));
    }
    return Status::ok();
  }

  // Query hints after SELECT: STATE_TTL('name' = 'duration', ...) into `s`; the others
  // (Flink's join hints: BROADCAST, SHUFFLE_HASH, LOOKUP, ...) guide how a join runs,
  // not what it returns: read and set aside.
  Status queryHints(ast::Select& s) {
    while (acceptSymbol("/*+")) {
      while (!peek().isSymbol("*/")) {
        if (peek().kind == TokenKind::kEnd) return unexpected("'*/' closing the hint");
        if (peek().kind == TokenKind::kIdentifier && upper(peek().text) == "STATE_TTL" && peek(1).isSymbol("(")) {
          s.state_ttl_pos = next().pos;
          EDDY_RETURN_IF_ERROR(withOptions(s.state_ttl));
          continue;
        }
        if (acceptSymbol("(")) {  // Another hint's arguments.
          for (int depth = 1; depth > 0; ++i_) {
            if (peek().kind == TokenKind::kEnd) return unexpected("')' closing the hint's arguments");
            if (peek().isSymbol("(")) ++depth;
            if (peek().isSymbol(")")) --depth;
          }
          continue;
        }
        ++i_;  // Another hint's name, or the ',' between hints.
      }
      ++i_;
    }
    return Status::ok();
  }

  // ---- Expressions, lowest precedence first.
  Result<ExprPtr> expr() { return orExpr(); }

  static ExprPtr call(std::string name, Pos pos, std::vector<ExprPtr> args) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kCall;
    e->name = std::move(name);
    e->pos = pos;
    e->args = std::move(args);
    return e;
  }
  static ExprPtr call2(std::string name, Pos pos, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return call(std::move(name), pos, std::move(args));
  }
  static ExprPtr call1(std::string name, Pos pos, ExprPtr a) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    return call(std::move(name), pos, std::move(args));
  }

  // x op ALL | SOME | ANY (subquery), with the tokens of x from `left_start` and the
  // quantifier next. As SQL defines it, in three values: SOME is TRUE when x op y is
  // TRUE for some row y, else NULL when it is NULL for one, else FALSE (no row: FALSE);
  // ALL is FALSE when x op y is FALSE for some row, else NULL when it is NULL for one,
  // else TRUE. So a CASE of two EXISTS, each a copy of the subquery with the test added
  // to its WHERE (or, for one that groups, limits or combines, around it as a derived
  // table, which must then be uncorrelated). The copies are parsed again from the
  // same tokens: the AST has no deep copy.
  Result<ExprPtr> quantified(size_t left_start, const std::string& op, Pos pos) {
    const bool all = upper(next().text) == "ALL";
    EDDY_RETURN_IF_ERROR(expectSymbol("("));
    const size_t query_start = i_;
    EDDY_ASSIGN_OR_RETURN(std::shared_ptr<ast::Query> shape, query());
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    const size_t end = i_;
    // A single SELECT must return one column here; the operands of a set operation are
    // checked by the planner, as a derived table's.
    const ast::Select* single = shape->selects.size() == 1 ? shape->selects[0].get() : nullptr;
    if (single && (single->items.size() != 1 || single->items[0].expr->kind == Expr::Kind::kStar)) {
      return sqlError(pos, "the subquery of a quantified comparison must return one column");
    }
    const bool merge = single && shape->with.empty() && shape->order_by.empty() && !shape->limit && !shape->offset &&
                       !single->distinct && single->group_by.empty() && !single->having &&
                       !hasAggregateCall(*single->items[0].expr);
    // EXISTS (subquery where (x op y) IS `what`).
    auto exists = [&](const char* what) -> Result<ExprPtr> {
      i_ = left_start;
      EDDY_ASSIGN_OR_RETURN(ExprPtr x, additive());
      markOuter(*x);
      i_ = query_start;
      EDDY_ASSIGN_OR_RETURN(std::shared_ptr<ast::Query> q, query());
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kExists;
      e->pos = pos;
      if (merge) {
        ast::Select& s = *q->selects[0];
        ExprPtr test = call1(what, pos, call2(op, pos, std::move(x), std::move(s.items[0].expr)));
        EDDY_ASSIGN_OR_RETURN(s.items[0].expr, literal(Expr::LiteralType::kInteger, "1", pos));
        s.where = s.where ? call2("AND", pos, std::move(s.where), std::move(test)) : std::move(test);
        e->query = q;
      } else {
        auto from = std::make_unique<ast::TableRef>();
        from->kind = ast::TableRef::Kind::kSubquery;
        from->pos = pos;
        from->query = q;
        from->alias = "EXPR$Q";
        from->column_aliases = {"EXPR$Y"};
        auto y = std::make_unique<Expr>();
        y->kind = Expr::Kind::kColumn;
        y->pos = pos;
        y->names = {"EXPR$Q", "EXPR$Y"};
        auto s = std::make_shared<ast::Select>();
        s->pos = pos;
        ast::SelectItem one;
        one.pos = pos;
        EDDY_ASSIGN_OR_RETURN(one.expr, literal(Expr::LiteralType::kInteger, "1", pos));
        s->items.push_back(std::move(one));
        s->from = std::move(from);
        s->where = call1(what, pos, call2(op, pos, std::move(x), std::move(y)));
        e->query = std::make_shared<ast::Query>();
        e->query->pos = pos;
        e->query->selects.push_back(s);
      }
      return ExprPtr(std::move(e));
    };
    auto c = std::make_unique<Expr>();
    c->kind = Expr::Kind::kCase;
    c->pos = pos;
    c->has_else = true;
    EDDY_ASSIGN_OR_RETURN(ExprPtr decided, exists(all ? "IS FALSE" : "IS TRUE"));
    EDDY_ASSIGN_OR_RETURN(ExprPtr unknown, exists("IS NULL"));
    c->args.push_back(std::move(decided));
    EDDY_ASSIGN_OR_RETURN(ExprPtr decided_value, literal(Expr::LiteralType::kBool, all ? "FALSE" : "TRUE", pos));
    c->args.push_back(std::move(decided_value));
    c->args.push_back(std::move(unknown));
    auto null_bool = std::make_unique<Expr>();
    null_bool->kind = Expr::Kind::kCast;
    null_bool->pos = pos;
    EDDY_ASSIGN_OR_RETURN(null_bool->args.emplace_back(), literal(Expr::LiteralType::kNull, "NULL", pos));
    null_bool->type.name = "BOOLEAN";
    c->args.push_back(std::move(null_bool));
    EDDY_ASSIGN_OR_RETURN(ExprPtr otherwise, literal(Expr::LiteralType::kBool, all ? "TRUE" : "FALSE", pos));
    c->args.push_back(std::move(otherwise));
    i_ = end;
    return ExprPtr(std::move(c));
  }
  // Every column `e` reads names the enclosing query's (not a subquery of its own).
  static void markOuter(Expr& e) {
    if (e.kind == Expr::Kind::kColumn) e.outer_ref = true;
    for (auto& a : e.args) {
      if (a) markOuter(*a);
    }
  }
  // Whether `e` calls a built-in aggregate function (outside an OVER window; a
  // user-defined one the parser cannot know is left to the planner's error).
  static bool hasAggregateCall(const Expr& e) {
    if (e.kind == Expr::Kind::kOver) return false;
    if (e.kind == Expr::Kind::kCall && ast::isBuiltinAggregate(e.name)) return true;
    for (const auto& a : e.args) {
      if (a && hasAggregateCall(*a)) return true;
    }
    return false;
  }

  Result<ExprPtr> orExpr() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr left, andExpr());
    while (peek().isKeyword("OR")) {
      Pos pos = next().pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr right, andExpr());
      left = call2("OR", pos, std::move(left), std::move(right));
    }
    return left;
  }
  Result<ExprPtr> andExpr() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr left, notExpr());
    while (peek().isKeyword("AND")) {
      Pos pos = next().pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr right, notExpr());
      left = call2("AND", pos, std::move(left), std::move(right));
    }
    return left;
  }
  Result<ExprPtr> notExpr() {
    if (peek().isKeyword("NOT")) {
      Pos pos = next().pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr e, notExpr());
      return call1("NOT", pos, std::move(e));
    }
    return comparison();
  }
  Result<ExprPtr> comparison() {
    const size_t left_start = i_;
    EDDY_ASSIGN_OR_RETURN(ExprPtr left, additive());
    bool first = true;
    while (true) {
      const Token& t = peek();
      Pos pos = t.pos;
      if (t.kind == TokenKind::kSymbol &&
          (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" ||
           t.text == ">=")) {
        std::string op = next().text;
        if (op == "!=") op = "<>";
        if ((peek().isKeyword("ALL") || peek().isKeyword("SOME") || peek().isKeyword("ANY")) && peek(1).isSymbol("(")) {
          if (!first) return sqlError(pos, "a quantified comparison (ALL / SOME / ANY) cannot follow another comparison");
          EDDY_ASSIGN_OR_RETURN(left, quantified(left_start, op, pos));
          first = false;
          continue;
        }
        first = false;
        EDDY_ASSIGN_OR_RETURN(ExprPtr right, additive());
        left = call2(op, pos, std::move(left), std::move(right));
        continue;
      }
      if (t.isKeyword("IS")) {
        ++i_;
        bool neg = acceptKeyword("NOT");
        std::string what;
        if (acceptKeyword("NULL") || acceptKeyword("UNKNOWN")) {  // UNKNOWN: the boolean NULL
          what = "NULL";
        } else if (acceptKeyword("TRUE")) {
          what = "TRUE";
        } else if (acceptKeyword("FALSE")) {
          what = "FALSE";
        } else if (acceptKeyword("DISTINCT")) {
          EDDY_RETURN_IF_ERROR(expectKeyword("FROM"));
          EDDY_ASSIGN_OR_RETURN(ExprPtr right, additive());
          left = call2(neg ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", pos, std::move(left), std::move(right));
          continue;
        } else if (acceptKeyword("JSON")) {
          // x IS [NOT] JSON [VALUE | SCALAR | ARRAY | OBJECT]: the kind as an argument.
          std::string kind = "VALUE";
          for (const char* k : {"VALUE", "SCALAR", "ARRAY", "OBJECT"}) {
            if (acceptKeyword(k)) kind = k;
          }
          left = call2("IS_JSON", pos, std::move(left), stringExpr(kind, pos));
          if (neg) left = call1("NOT", pos, std::move(left));
          continue;
        } else {
          return unexpected("NULL, UNKNOWN, TRUE, FALSE, JSON or DISTINCT FROM after IS");
        }
        left = call1(std::string("IS ") + (neg ? "NOT " : "") + what, pos, std::move(left));
        continue;
      }
      bool neg = false;
      if (t.isKeyword("NOT") &&
          (peek(1).isKeyword("BETWEEN") || peek(1).isKeyword("IN") || peek(1).isKeyword("LIKE") ||
           peek(1).isKeyword("SIMILAR"))) {
        ++i_;
        neg = true;
      }
      if (acceptKeyword("BETWEEN")) {
        // SYMMETRIC: either bound may be the lower one.
        const bool symmetric = acceptKeyword("SYMMETRIC");
        if (!symmetric) acceptKeyword("ASYMMETRIC");
        EDDY_ASSIGN_OR_RETURN(ExprPtr lo, additive());
        EDDY_RETURN_IF_ERROR(expectKeyword("AND"));
        EDDY_ASSIGN_OR_RETURN(ExprPtr hi, additive());
        std::vector<ExprPtr> args;
        args.push_back(std::move(left));
        args.push_back(std::move(lo));
        args.push_back(std::move(hi));
        left = call(symmetric ? "BETWEEN SYMMETRIC" : "BETWEEN", pos, std::move(args));
        if (neg) left = call1("NOT", pos, std::move(left));
        continue;
      }
      // s [NOT] LIKE p [ESCAPE c] and s [NOT] SIMILAR TO p [ESCAPE c].
      const bool like = acceptKeyword("LIKE");
      if (like || acceptKeyword("SIMILAR")) {
        if (!like) EDDY_RETURN_IF_ERROR(expectKeyword("TO"));
        EDDY_ASSIGN_OR_RETURN(ExprPtr pattern, additive());
        std::vector<ExprPtr> args;
        args.push_back(std::move(left));
        args.push_back(std::move(pattern));
        if (acceptKeyword("ESCAPE")) {
          EDDY_ASSIGN_OR_RETURN(ExprPtr esc, additive());
          args.push_back(std::move(esc));
        }
        left = call(like ? "LIKE" : "SIMILAR TO", pos, std::move(args));
        if (neg) left = call1("NOT", pos, std::move(left));
        continue;
      }
      if (acceptKeyword("IN")) {
        EDDY_RETURN_IF_ERROR(expectSymbol("("));
        if (peek().isKeyword("SELECT") || peek().isKeyword("WITH")) {
          auto e = std::make_unique<Expr>();
          e->kind = Expr::Kind::kInQuery;
          e->pos = pos;
          e->negated = neg;
          e->args.push_back(std::move(left));
          EDDY_ASSIGN_OR_RETURN(e->query, query());
          EDDY_RETURN_IF_ERROR(expectSymbol(")"));
          left = std::move(e);
          continue;
        }
        std::vector<ExprPtr> args;
        args.push_back(std::move(left));
        do {
          EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
          args.push_back(std::move(v));
        } while (acceptSymbol(","));
        EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        left = call("IN", pos, std::move(args));
        if (neg) left = call1("NOT", pos, std::move(left));
        continue;
      }
      // (start, end | interval) OVERLAPS (start, end | interval): the four values.
      if (!neg && acceptKeyword("OVERLAPS")) {
        EDDY_ASSIGN_OR_RETURN(ExprPtr right, additive());
        for (const ExprPtr* side : {&left, &right}) {
          const Expr& e = **side;
          if (e.kind != Expr::Kind::kCall || e.name != "ROW" || e.args.size() != 2) {
            return sqlError(e.pos, "OVERLAPS compares two periods, each (start, end) or (start, interval)");
          }
        }
        std::vector<ExprPtr> args;
        for (ExprPtr* side : {&left, &right}) {
          for (auto& a : (*side)->args) args.push_back(std::move(a));
        }
        left = call("OVERLAPS", pos, std::move(args));
        continue;
      }
      if (neg) return unexpected("BETWEEN, IN or LIKE after NOT");
      return left;
    }
  }
  Result<ExprPtr> additive() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr left, multiplicative());
    while (peek().isSymbol("+") || peek().isSymbol("-") || peek().isSymbol("||")) {
      const Token& op = next();
      std::string name = op.text;
      Pos pos = op.pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr right, multiplicative());
      left = call2(name, pos, std::move(left), std::move(right));
    }
    return left;
  }
  Result<ExprPtr> multiplicative() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr left, unary());
    while (peek().isSymbol("*") || peek().isSymbol("/") || peek().isSymbol("%")) {
      const Token& op = next();
      std::string name = op.text == "%" ? "MOD" : op.text;
      Pos pos = op.pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr right, unary());
      left = call2(name, pos, std::move(left), std::move(right));
    }
    return left;
  }
  Result<ExprPtr> unary() {
    if (peek().isSymbol("-")) {
      Pos pos = next().pos;
      EDDY_ASSIGN_OR_RETURN(ExprPtr e, unary());
      // Fold -literal so that -9223372036854775808 and friends stay literals.
      if (e->kind == Expr::Kind::kLiteral &&
          (e->literal == Expr::LiteralType::kInteger || e->literal == Expr::LiteralType::kDecimal ||
           e->literal == Expr::LiteralType::kDouble) &&
          e->text[0] != '-') {
        e->text = "-" + e->text;
        e->pos = pos;
        return e;
      }
      return call1("NEGATE", pos, std::move(e));
    }
    if (acceptSymbol("+")) return unary();
    // MATCH_RECOGNIZE's FINAL / RUNNING before a navigation or aggregate call
    // (`FINAL LAST(A.price)`): a prefix, not a column named so.
    if ((peek().isKeyword("FINAL") || peek().isKeyword("RUNNING")) && peek(1).kind == TokenKind::kIdentifier &&
        peek(2).isSymbol("(")) {
      const Token& t = next();
      EDDY_ASSIGN_OR_RETURN(ExprPtr e, unary());
      return call1(upper(t.text), t.pos, std::move(e));
    }
    return subscripted();
  }
  // `e[index]` (an ARRAY's element, 1-based, or a MAP's value) and, after one, `.field`
  // (a ROW's field: `items[1].sku`), any number of times.
  Result<ExprPtr> subscripted() {
    EDDY_ASSIGN_OR_RETURN(ExprPtr e, primary());
    bool subscript = false;
    while (true) {
      if (peek().isSymbol("[")) {
        Pos pos = next().pos;
        EDDY_ASSIGN_OR_RETURN(ExprPtr index, expr());
        EDDY_RETURN_IF_ERROR(expectSymbol("]"));
        e = call2("ITEM", pos, std::move(e), std::move(index));
        subscript = true;
      } else if (subscript && peek().isSymbol(".")) {
        Pos pos = next().pos;
        EDDY_ASSIGN_OR_RETURN(std::string field, identifier("a field name after '.'"));
        e = call2("DOT", pos, std::move(e), stringExpr(field, pos));
      } else {
        return e;
      }
    }
  }

  Result<ExprPtr> literal(Expr::LiteralType type, std::string text, Pos pos) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kLiteral;
    e->literal = type;
    e->text = std::move(text);
    e->pos = pos;
    return e;
  }

  Result<ExprPtr> primary() {
    const Token& t = peek();
    Pos pos = t.pos;
    switch (t.kind) {
      case TokenKind::kInteger:
        return literal(Expr::LiteralType::kInteger, next().text, pos);
      case TokenKind::kDecimal:
        return literal(Expr::LiteralType::kDecimal, next().text, pos);
      case TokenKind::kDouble:
        return literal(Expr::LiteralType::kDouble, next().text, pos);
      case TokenKind::kString:
        return literal(Expr::LiteralType::kString, next().text, pos);
      case TokenKind::kBinaryString:
        return literal(Expr::LiteralType::kBinary, next().text, pos);
      case TokenKind::kQuotedIdentifier:
        return columnRef();
      case TokenKind::kEnd:
        return unexpected("an expression");
      case TokenKind::kSymbol:
        if (t.isSymbol("*")) {
          ++i_;
          auto e = std::make_unique<Expr>();
          e->kind = Expr::Kind::kStar;
          e->pos = pos;
          return e;
        }
        if (t.isSymbol("(")) {
          ++i_;
          if (peek().isKeyword("SELECT") || peek().isKeyword("WITH")) {
            auto e = std::make_unique<Expr>();
            e->kind = Expr::Kind::kSubquery;
            e->pos = pos;
            EDDY_ASSIGN_OR_RETURN(e->query, query());
            EDDY_RETURN_IF_ERROR(expectSymbol(")"));
            return e;
          }
          EDDY_ASSIGN_OR_RETURN(ExprPtr e, expr());
          if (peek().isSymbol(",")) {
            // (a, b, ...): the implicit row constructor, ROW(a, b, ...).
            std::vector<ExprPtr> fields;
            fields.push_back(std::move(e));
            while (acceptSymbol(",")) {
              EDDY_ASSIGN_OR_RETURN(ExprPtr f, expr());
              fields.push_back(std::move(f));
            }
            EDDY_RETURN_IF_ERROR(expectSymbol(")"));
            return call("ROW", pos, std::move(fields));
          }
          EDDY_RETURN_IF_ERROR(expectSymbol(")"));
          return e;
        }
        return unexpected("an expression");
      case TokenKind::kIdentifier:
        break;
    }
    std::string word = upper(t.text);
    if (word == "NULL") {
      ++i_;
      return literal(Expr::LiteralType::kNull, "NULL", pos);
    }
    if (word == "TRUE" || word == "FALSE") {
      ++i_;
      return literal(Expr::LiteralType::kBool, word, pos);
    }
    if ((word == "TIMESTAMP" || word == "DATE" || word == "TIME") && peek(1).kind == TokenKind::kString) {
      ++i_;
      std::string text = next().text;
      return literal(word == "TIMESTAMP" ? Expr::LiteralType::kTimestamp
                     : word == "DATE"    ? Expr::LiteralType::kDate
                                         : Expr::LiteralType::kTime,
                     std::move(text), pos);
    }
    if (word == "INTERVAL") {
      ++i_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kInterval;
      e->pos = pos;
      bool negative = acceptSymbol("-");
      if (peek().kind == TokenKind::kString || peek().kind == TokenKind::kInteger) {
        e->text = next().text;
      } else {
        return unexpected("an interval value such as '5'");
      }
      if (negative) e->text = "-" + e->text;
      EDDY_ASSIGN_OR_RETURN(e->unit, intervalUnit());
      if (acceptKeyword("TO")) {
        EDDY_ASSIGN_OR_RETURN(std::string to, intervalUnit());
        e->unit += " TO " + to;
      }
      return e;
    }
    if (word == "CAST" || word == "TRY_CAST") {
      ++i_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kCast;
      e->pos = pos;
      e->name = word;
      EDDY_RETURN_IF_ERROR(expectSymbol("("));
      EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
      e->args.push_back(std::move(v));
      EDDY_RETURN_IF_ERROR(expectKeyword("AS"));
      EDDY_ASSIGN_OR_RETURN(e->type, dataType());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (word == "CASE") {
      ++i_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kCase;
      e->pos = pos;
      if (!peek().isKeyword("WHEN")) {
        e->has_operand = true;
        EDDY_ASSIGN_OR_RETURN(ExprPtr op, expr());
        e->args.push_back(std::move(op));
      }
      if (!peek().isKeyword("WHEN")) return unexpected("WHEN");
      while (acceptKeyword("WHEN")) {
        EDDY_ASSIGN_OR_RETURN(ExprPtr w, expr());
        EDDY_RETURN_IF_ERROR(expectKeyword("THEN"));
        EDDY_ASSIGN_OR_RETURN(ExprPtr th, expr());
        e->args.push_back(std::move(w));
        e->args.push_back(std::move(th));
      }
      if (acceptKeyword("ELSE")) {
        e->has_else = true;
        EDDY_ASSIGN_OR_RETURN(ExprPtr el, expr());
        e->args.push_back(std::move(el));
      }
      EDDY_RETURN_IF_ERROR(expectKeyword("END"));
      return e;
    }
    if (word == "EXISTS" && peek(1).isSymbol("(")) {
      i_ += 2;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kExists;
      e->pos = pos;
      EDDY_ASSIGN_OR_RETURN(e->query, query());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if ((word == "CURRENT_TIMESTAMP" || word == "CURRENT_DATE" || word == "CURRENT_TIME" || word == "LOCALTIMESTAMP" ||
         word == "LOCALTIME" || word == "CURRENT_ROW_TIMESTAMP") &&
        !peek(1).isSymbol("(")) {
      ++i_;
      return call(word, pos, {});
    }
    if ((word == "ARRAY" || word == "MAP") && peek(1).isSymbol("[")) {
      // ARRAY[e, ...] and MAP[k, v, ...]: the value constructors.
      i_ += 2;
      std::vector<ExprPtr> items;
      if (!peek().isSymbol("]")) {
        do {
          EDDY_ASSIGN_OR_RETURN(ExprPtr item, expr());
          items.push_back(std::move(item));
        } while (acceptSymbol(","));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol("]"));
      return call(word, pos, std::move(items));
    }
    if (peek(1).isSymbol("(") && reservedWords().count(word) == 0) return functionCall();
    if (word == "LEFT" || word == "RIGHT") {
      if (peek(1).isSymbol("(")) return functionCall();
    }
    if (reservedWords().count(word) != 0) return unexpected("an expression");
    return columnRef();
  }

  Result<std::string> intervalUnit() {
    static const char* kUnits[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "WEEK"};
    for (const char* u : kUnits) {
      if (acceptKeyword(u)) {
        if (acceptSymbol("(")) {
          EDDY_RETURN_IF_ERROR(integer().status());
          if (acceptSymbol(",")) EDDY_RETURN_IF_ERROR(integer().status());
          EDDY_RETURN_IF_ERROR(expectSymbol(")"));
        }
        return std::string(u);
      }
      // Plural forms, as Flink accepts them in some places.
      if (acceptKeyword(std::string(u) + "S")) return std::string(u);
    }
    return unexpected("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)");
  }

  Result<ExprPtr> columnRef() {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kColumn;
    e->pos = peek().pos;
    e->names.push_back(next().text);
    while (peek().isSymbol(".")) {
      ++i_;
      if (peek().isSymbol("*")) {
        ++i_;
        e->kind = Expr::Kind::kStar;
        return e;
      }
      EDDY_ASSIGN_OR_RETURN(std::string n, identifier("a column name after '.'"));
      e->names.push_back(n);
    }
    return e;
  }

  static ExprPtr stringExpr(const std::string& text, Pos pos) {
    auto u = std::make_unique<Expr>();
    u->kind = Expr::Kind::kLiteral;
    u->literal = Expr::LiteralType::kString;
    u->text = text;
    u->pos = pos;
    return u;
  }

  // A time unit keyword (QUARTER or an interval unit) as a string literal argument.
  Result<ExprPtr> unitLiteral() {
    const Pos pos = peek().pos;
    if (acceptKeyword("QUARTER")) return stringExpr("QUARTER", pos);
    EDDY_ASSIGN_OR_RETURN(std::string unit, intervalUnit());
    return stringExpr(unit, pos);
  }

  // An ORDER BY item's optional `NULLS FIRST` / `NULLS LAST`.
  Status nullOrder(std::optional<bool>& nulls_first) {
    if (!acceptKeyword("NULLS")) return Status::ok();
    if (acceptKeyword("FIRST")) {
      nulls_first = true;
    } else if (acceptKeyword("LAST")) {
      nulls_first = false;
    } else {
      return unexpected("FIRST or LAST after NULLS");
    }
    return Status::ok();
  }

  // An aggregate's `RESPECT NULLS` or `IGNORE NULLS` (inside its parentheses, as Flink
  // writes ARRAY_AGG's, or after them, as Calcite allows).
  Status nullTreatment(Expr& call) {
    if ((peek().isKeyword("RESPECT") || peek().isKeyword("IGNORE")) && peek(1).isKeyword("NULLS")) {
      call.ignore_nulls = upper(next().text) == "IGNORE";
      ++i_;
    }
    return Status::ok();
  }

  // The clauses of a JSON path function after its (json, path) arguments, each as a
  // further argument so that calls stay plain:
  //   JSON_VALUE(j, p [RETURNING type] [{NULL | ERROR | DEFAULT e} ON EMPTY]
  //              [{NULL | ERROR | DEFAULT e} ON ERROR]): the RETURNING type in the
  //     call's `type`; then 'NULL' | 'ERROR' | 'DEFAULT' and the default (NULL) for
  //     ON EMPTY, then the same for ON ERROR.
  //   JSON_QUERY(j, p [WITHOUT [ARRAY] WRAPPER | WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY]
  //              WRAPPER] [{NULL | EMPTY ARRAY | EMPTY OBJECT | ERROR} ON EMPTY] [... ON ERROR]):
  //     'WITHOUT' | 'CONDITIONAL' | 'UNCONDITIONAL', then the ON EMPTY and ON ERROR
  //     choices ('NULL', 'EMPTY ARRAY', 'EMPTY OBJECT', 'ERROR').
  //   JSON_EXISTS(j, p [{TRUE | FALSE | UNKNOWN | ERROR} ON ERROR]): the ON ERROR choice.
  Result<ExprPtr> jsonPathCall(ExprPtr e) {
    for (int a = 0; a < 2; ++a) {
      if (a > 0) EDDY_RETURN_IF_ERROR(expectSymbol(","));
      EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
      e->args.push_back(std::move(v));
    }
    const Pos pos = e->pos;
    // `{choice} ON what`: the choice when the next words are one of `choices`.
    auto behavior = [&](const std::vector<std::string>& choices, const char* what,
                        std::string* choice) -> Result<bool> {
      for (const std::string& c : choices) {
        const size_t words = c.find(' ') == std::string::npos ? 1 : 2;
        const std::string first = c.substr(0, c.find(' '));
        const std::string second = words == 2 ? c.substr(c.find(' ') + 1) : "";
        if (!peek().isKeyword(first.c_str()) || (words == 2 && !peek(1).isKeyword(second.c_str()))) continue;
        if (!peek(words).isKeyword("ON") || !peek(words + 1).isKeyword(what)) continue;
        i_ += words + 2;
        *choice = c;
        return true;
      }
      return false;
    };
    if (e->name == "JSON_VALUE") {
      if (acceptKeyword("RETURNING")) {
        EDDY_ASSIGN_OR_RETURN(e->type, dataType());
        // `RETURNING INT NULL ON EMPTY`: that NULL is the choice, not the type's nullability.
        if (peek().isKeyword("ON") && i_ > 0 && t_[i_ - 1].isKeyword("NULL")) --i_;
      }
      // Up to two clauses, ON EMPTY before ON ERROR: [choice, default] for each.
      std::string choices[2] = {"NULL", "NULL"};
      ExprPtr fallbacks[2];
      for (int clause = 0; clause < 2; ++clause) {
        std::string choice;
        ExprPtr fallback;
        if (acceptKeyword("DEFAULT")) {
          choice = "DEFAULT";
          EDDY_ASSIGN_OR_RETURN(fallback, additive());
        } else if ((peek().isKeyword("NULL") || peek().isKeyword("ERROR")) && peek(1).isKeyword("ON")) {
          choice = upper(next().text);
        } else {
          break;
        }
        EDDY_RETURN_IF_ERROR(expectKeyword("ON"));
        int which;
        if (acceptKeyword("EMPTY") && clause == 0) {
          which = 0;
        } else if (acceptKeyword("ERROR")) {
          which = 1;
        } else {
          return unexpected("ERROR");
        }
        choices[which] = choice;
        fallbacks[which] = std::move(fallback);
        if (which == 1) break;
      }
      for (int k = 0; k < 2; ++k) {
        e->args.push_back(stringExpr(choices[k], pos));
        if (!fallbacks[k]) {
          EDDY_ASSIGN_OR_RETURN(fallbacks[k], literal(Expr::LiteralType::kNull, "NULL", pos));
        }
        e->args.push_back(std::move(fallbacks[k]));
      }
    } else if (e->name == "JSON_QUERY") {
      std::string wrapper = "WITHOUT";
      if (acceptKeyword("WITHOUT")) {
        acceptKeyword("ARRAY");
        EDDY_RETURN_IF_ERROR(expectKeyword("WRAPPER"));
      } else if (acceptKeyword("WITH")) {
        wrapper = acceptKeyword("CONDITIONAL") ? "CONDITIONAL" : "UNCONDITIONAL";
        if (wrapper == "UNCONDITIONAL") acceptKeyword("UNCONDITIONAL");
        acceptKeyword("ARRAY");
        EDDY_RETURN_IF_ERROR(expectKeyword("WRAPPER"));
      }
      e->args.push_back(stringExpr(wrapper, pos));
      for (const char* what : {"EMPTY", "ERROR"}) {
        std::string choice = "NULL";
        EDDY_ASSIGN_OR_RETURN(bool found, behavior({"NULL", "EMPTY ARRAY", "EMPTY OBJECT", "ERROR"}, what, &choice));
        (void)found;
        e->args.push_back(stringExpr(choice, pos));
      }
    } else {
      std::string choice = "FALSE";
      EDDY_ASSIGN_OR_RETURN(bool found, behavior({"TRUE", "FALSE", "UNKNOWN", "ERROR"}, "ERROR", &choice));
      (void)found;
      e->args.push_back(stringExpr(choice, pos));
    }
    EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    return e;
  }

  // `NULL ON NULL` or `ABSENT ON NULL` (JSON constructors and aggregates): "NULL" or
  // "ABSENT", nothing when the next words are not one of them.
  Result<std::optional<std::string>> onNull() {
    if (!(peek().isKeyword("NULL") || peek().isKeyword("ABSENT")) || !peek(1).isKeyword("ON")) {
      return std::optional<std::string>();
    }
    std::string choice = upper(next().text);
    ++i_;
    EDDY_RETURN_IF_ERROR(expectKeyword("NULL"));
    return std::optional<std::string>(std::move(choice));
  }

  // One member of a JSON object (`[KEY] k VALUE v`: the key, then the value) or element
  // of an array (`v`), appended to `e`'s arguments.
  Status jsonMember(Expr& e, bool object) {
    if (object) {
      acceptKeyword("KEY");
      EDDY_ASSIGN_OR_RETURN(ExprPtr k, additive());
      EDDY_RETURN_IF_ERROR(expectKeyword("VALUE"));
      e.args.push_back(std::move(k));
    }
    EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
    e.args.push_back(std::move(v));
    return Status::ok();
  }

  Result<ExprPtr> functionCall() {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kCall;
    e->pos = peek().pos;
    e->name = upper(next().text);
    ++i_;  // (
    if (e->name == "TIMESTAMPADD" || e->name == "TIMESTAMPDIFF") {
      // The unit is a keyword, not an expression: TIMESTAMPDIFF(DAY, t1, t2).
      EDDY_ASSIGN_OR_RETURN(ExprPtr u, unitLiteral());
      e->args.push_back(std::move(u));
      while (acceptSymbol(",")) {
        EDDY_ASSIGN_OR_RETURN(ExprPtr a, expr());
        e->args.push_back(std::move(a));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (e->name == "EXTRACT") {
      std::string unit;
      for (const char* extra : {"QUARTER", "DOW", "DOY", "MICROSECOND", "NANOSECOND"}) {
        if (unit.empty() && acceptKeyword(extra)) unit = extra;
      }
      if (unit.empty()) {
        EDDY_ASSIGN_OR_RETURN(unit, intervalUnit());
      }
      EDDY_RETURN_IF_ERROR(expectKeyword("FROM"));
      EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
      e->args.push_back(stringExpr(unit, e->pos));
      e->args.push_back(std::move(v));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (e->name == "OVERLAY") {
      // OVERLAY(s PLACING r FROM pos [FOR len])
      for (const char* word : {"", "PLACING", "FROM", "FOR"}) {
        if (*word != '\0' && !acceptKeyword(word)) {
          if (std::string(word) == "FOR") break;
          return unexpected(word);
        }
        EDDY_ASSIGN_OR_RETURN(ExprPtr a, additive());
        e->args.push_back(std::move(a));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (e->name == "JSON_VALUE" || e->name == "JSON_QUERY" || e->name == "JSON_EXISTS") {
      return jsonPathCall(std::move(e));
    }
    if (e->name == "JSON_OBJECT" || e->name == "JSON_ARRAY") {
      // JSON_OBJECT([KEY] k VALUE v, ... [NULL | ABSENT ON NULL]) and JSON_ARRAY(v, ...
      // [NULL | ABSENT ON NULL]): the ON NULL choice first, as 'NULL' or 'ABSENT'.
      const bool object = e->name == "JSON_OBJECT";
      e->args.push_back(stringExpr(object ? "NULL" : "ABSENT", e->pos));
      while (!peek().isSymbol(")")) {
        EDDY_ASSIGN_OR_RETURN(std::optional<std::string> on_null, onNull());
        if (on_null) {
          e->args[0]->text = *on_null;
          break;
        }
        if (!e->args.empty() && e->args.size() > 1) EDDY_RETURN_IF_ERROR(expectSymbol(","));
        EDDY_RETURN_IF_ERROR(jsonMember(*e, object));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if ((e->name == "FLOOR" || e->name == "CEIL" || e->name == "CEILING") && !peek().isSymbol(")")) {
      // FLOOR(x) or FLOOR(timepoint TO unit): the unit as a string literal argument.
      EDDY_ASSIGN_OR_RETURN(ExprPtr v, expr());
      e->args.push_back(std::move(v));
      if (acceptKeyword("TO")) {
        EDDY_ASSIGN_OR_RETURN(ExprPtr u, unitLiteral());
        e->args.push_back(std::move(u));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (e->name == "POSITION") {
      EDDY_ASSIGN_OR_RETURN(ExprPtr needle, additive());
      EDDY_RETURN_IF_ERROR(expectKeyword("IN"));
      EDDY_ASSIGN_OR_RETURN(ExprPtr hay, expr());
      e->args.push_back(std::move(needle));
      e->args.push_back(std::move(hay));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      return e;
    }
    if (e->name == "TRIM") {
      std::string mode = "BOTH";
      if (peek().isKeyword("BOTH") || peek().isKeyword("LEADING") || peek().isKeyword("TRAILING")) {
        mode = upper(next().text);
      }
      ExprPtr chars;
      if (!acceptKeyword("FROM")) {
        EDDY_ASSIGN_OR_RETURN(ExprPtr first, expr());
        if (acceptKeyword("FROM")) {
          chars = std::move(first);
          EDDY_ASSIGN_OR_RETURN(ExprPtr s, expr());
          e->args.push_back(std::move(s));
        } else {
          e->args.push_back(std::move(first));
        }
      } else {
        EDDY_ASSIGN_OR_RETURN(ExprPtr s, expr());
        e->args.push_back(std::move(s));
      }
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
      e->name = mode == "BOTH" ? "TRIM" : mode == "LEADING" ? "LTRIM" : "RTRIM";
      if (chars) e->args.push_back(std::move(chars));
      return e;
    }
    const bool json_agg = e->name == "JSON_OBJECTAGG" || e->name == "JSON_ARRAYAGG";
    if (json_agg) {
      // JSON_OBJECTAGG([KEY] k VALUE v [NULL | ABSENT ON NULL]) (NULL ON NULL by default)
      // and JSON_ARRAYAGG(v [NULL | ABSENT ON NULL]) (ABSENT ON NULL by default): ABSENT
      // as ignore_nulls.
      const bool object = e->name == "JSON_OBJECTAGG";
      EDDY_RETURN_IF_ERROR(jsonMember(*e, object));
      EDDY_ASSIGN_OR_RETURN(std::optional<std::string> on_null, onNull());
      e->ignore_nulls = on_null ? *on_null == "ABSENT" : !object;
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    } else if (acceptKeyword("DISTINCT")) {
      e->distinct = true;
    } else {
      acceptKeyword("ALL");
    }
    if (!json_agg && !acceptSymbol(")")) {
      do {
        EDDY_ASSIGN_OR_RETURN(ExprPtr a, expr());
        e->args.push_back(std::move(a));
        if (e->name == "SUBSTRING" && (peek().isKeyword("FROM") || peek().isKeyword("FOR"))) {
          ++i_;
          EDDY_ASSIGN_OR_RETURN(ExprPtr b, expr());
          e->args.push_back(std::move(b));
          if (acceptKeyword("FOR")) {
            EDDY_ASSIGN_OR_RETURN(ExprPtr c, expr());
            e->args.push_back(std::move(c));
          }
        }
        EDDY_RETURN_IF_ERROR(nullTreatment(*e));
      } while (acceptSymbol(","));
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    }
    if (!json_agg) EDDY_RETURN_IF_ERROR(nullTreatment(*e));
    if (peek().isKeyword("FILTER") && peek(1).isSymbol("(")) {
      // agg(...) FILTER (WHERE condition)
      i_ += 2;
      EDDY_RETURN_IF_ERROR(expectKeyword("WHERE"));
      EDDY_ASSIGN_OR_RETURN(e->filter, expr());
      EDDY_RETURN_IF_ERROR(expectSymbol(")"));
    }
    if (peek().isKeyword("OVER")) {
      Pos over_pos = next().pos;
      auto o = std::make_unique<Expr>();
      o->kind = Expr::Kind::kOver;
      o->pos = over_pos;
      if (isIdentifier(peek())) {
        // OVER w: resolved when the SELECT's WINDOW clause has been read.
        window_refs_.emplace_back(next(), o.get());
      } else {
        EDDY_ASSIGN_OR_RETURN(o->over, windowSpec());
      }
      o->args.push_back(std::move(e));
      return o;
    }
    return e;
  }

  std::string_view text_;
  std::vector<Token> t_;
  size_t i_ = 0;
  // The SELECT being read: its WINDOW clause's windows (upper-case name -> spec) and
  // the OVER clauses that name one.
  std::map<std::string, std::shared_ptr<Expr::Window>> windows_;
  std::vector<std::pair<Token, Expr*>> window_refs_;
};

}  // namespace

namespace {

void hoistStatement(ast::Statement& st) {
  if (st.query) hoistOuterConditions(*st.query);
  for (auto& inner : st.statements) hoistStatement(*inner);
}

}  // namespace

Result<std::vector<std::unique_ptr<ast::Statement>>> parseScript(std::string_view sql) {
  EDDY_ASSIGN_OR_RETURN(std::vector<Token> tokens, tokenize(sql));
  EDDY_ASSIGN_OR_RETURN(auto statements, Parser(sql, std::move(tokens)).script());
  for (auto& st : statements) hoistStatement(*st);
  return statements;
}

Result<ast::ExprPtr> parseExpression(std::string_view sql) {
  EDDY_ASSIGN_OR_RETURN(std::vector<Token> tokens, tokenize(sql));
  return Parser(sql, std::move(tokens)).singleExpression();
}

}  // namespace eddy::sql
