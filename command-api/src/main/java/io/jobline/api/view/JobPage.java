package io.jobline.api.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of {@code GET /jobs}: newest first; the last page has no {@code nextPageToken}.
 *
 * @param items         the jobs of this page
 * @param nextPageToken the token of the next page with the same filters, or null on the last page
 * @param total         how many jobs match the filters, on all pages
 */
public record JobPage(List<JobView> items, @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken,
        long total) {
}
