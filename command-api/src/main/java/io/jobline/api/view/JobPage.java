package io.jobline.api.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of {@code GET /jobs}: newest first; {@code nextPageToken} is null on the last page. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobPage(List<JobView> items, String nextPageToken) {
}
