package io.jobline.api.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.jobline.api.view.JobView;

/** A page as the projection's internal API answers it: {@code {"items": [...], "hasMore": true|false}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ProjectionPage(List<JobView> items, boolean hasMore) {
}
