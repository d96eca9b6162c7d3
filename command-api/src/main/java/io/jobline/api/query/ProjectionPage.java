package io.jobline.api.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.jobline.api.view.JobView;

/**
 * A page as the projection's internal API answers it: {@code {"items": [...], "hasMore": true|false, "total": n}}.
 * {@code total} is null when the projection left it out (a projection too old to filter: not usable).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProjectionPage(List<JobView> items, boolean hasMore, Long total) {
}
