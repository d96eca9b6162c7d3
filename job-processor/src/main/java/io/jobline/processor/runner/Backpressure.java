package io.jobline.processor.runner;

/** What the runner tells the source of work when its slots fill up and free again. */
public interface Backpressure {

    /** All slots are taken: take no more work. */
    void pause();

    /** A slot is free again. */
    void resume();

    Backpressure NONE = new Backpressure() {
        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }
    };
}
