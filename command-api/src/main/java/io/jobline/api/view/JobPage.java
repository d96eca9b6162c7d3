package io.jobline.api.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of {@code GET /jobs}: newest first; the last page has no {@code nextPageToken}. */
public record JobPage(List<JobView> items, @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {
}
