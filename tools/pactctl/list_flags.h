#pragma once

#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "arguments.h"
#include "pact/common/v1/common.pb.h"

namespace pactctl {

// Flags every list command shares.
inline const std::vector<std::string_view> kPageFlags = {"page-size", "page-token", "all"};
inline const std::vector<std::string_view> kExerciseFlags = {"include-exercise", "exercise-only"};

// Drill records stay out of lists unless asked for (--include-exercise, --exercise-only).
inline pact::common::v1::ExerciseFilter exercise_filter(const Arguments& args) {
  if (args.on("include-exercise") && args.on("exercise-only")) {
    throw UsageError("give --include-exercise or --exercise-only, not both");
  }
  if (args.on("include-exercise")) return pact::common::v1::EXERCISE_FILTER_ALL;
  if (args.on("exercise-only")) return pact::common::v1::EXERCISE_FILTER_EXERCISE_ONLY;
  return pact::common::v1::EXERCISE_FILTER_REAL_ONLY;
}

// --page-size N, --page-token T, --all.
struct PageChoice {
  std::optional<long long> size;
  std::string token;
  bool all = false;
};

inline PageChoice page_choice(const Arguments& args) {
  PageChoice choice;
  choice.size = number_option(args, "page-size", 1, 500);
  choice.token = args.option("page-token", "");
  choice.all = args.on("all");
  // Following every page in few round trips: the largest page the services give.
  if (choice.all && !choice.size) choice.size = 500;
  return choice;
}

// Fetches one page, or with choice.all every page, into `out`: each page's items are appended and
// out.page() ends as the last page's (an empty next_page_token once everything was read).
// `fetch(const Request&, Response&)` makes one call and returns its status.
template <typename Request, typename Response, typename Fetch>
grpc::Status collect_pages(Request request, const PageChoice& choice, Response& out, Fetch&& fetch) {
  if (choice.size) request.mutable_page()->set_page_size(static_cast<std::uint32_t>(*choice.size));
  if (!choice.token.empty()) request.mutable_page()->set_page_token(choice.token);
  std::set<std::string> tokens_seen;
  for (;;) {
    Response page;
    grpc::Status status = fetch(request, page);
    if (!status.ok()) return status;
    const auto last_page = page.page();
    out.MergeFrom(page);
    *out.mutable_page() = last_page;  // MergeFrom keeps an earlier token when this one is empty
    const std::string& next = last_page.next_page_token();
    if (!choice.all || next.empty()) return grpc::Status::OK;
    // A service that hands out the same token twice would keep us here for ever.
    if (!tokens_seen.insert(next).second) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "the service gave the page token '" + next + "' twice");
    }
    request.mutable_page()->set_page_token(next);
  }
}

// For people: how to get the rest of a list that was not read to its end.
template <typename PageResponse>
void hint_more_pages(const PageResponse& page, std::size_t shown) {
  if (page.next_page_token().empty()) return;
  std::cerr << shown << " shown";
  if (page.has_total_count()) std::cerr << " of " << page.total_count();
  std::cerr << "; more with --page-token " << page.next_page_token() << " or --all\n";
}

}  // namespace pactctl
