"""Teaching mode: a resident's quiz history — scores by attempt, accuracy per topic, CSV export."""

import streamlit as st

from progress import store
from progress.charts import scores_by_attempt_figure, topic_accuracy, topic_accuracy_figure
from progress.scoring import SCORING_HELP
from progress.store import StoreUnavailable, WrongPassphrase
from ui.layout import page_footer, page_header
from ui.quiz import RESIDENT, identity, session_attempts, show_store_warning, store_failed

page_header("Progress")
st.caption("Your quiz attempts, kept under the nickname you chose and opened only with your passphrase "
           "(no identifiers).")
with st.expander("How the score works", icon=":material/calculate:"):
    st.markdown(SCORING_HELP)
nickname, resident = identity("progress")
if not nickname:
    st.info("Enter the nickname you use in the quiz to see your progress.", icon=":material/badge:")
    page_footer()
    st.stop()

attempts = session_attempts(nickname)  # this browser session's own attempts
opened = False
if resident is not None:  # the saved history, only once the passphrase opened it
    try:
        attempts = store.attempts_for(resident)
        opened = True
    except StoreUnavailable as exc:
        store_failed(exc)
    except WrongPassphrase:
        st.session_state.pop(RESIDENT, None)
show_store_warning()
if not opened:
    if not attempts:  # nothing of this nickname is shown until its passphrase opens it
        page_footer()
        st.stop()
    st.caption("Showing this browser session's attempts only.")

if not attempts:
    st.info(f"No attempts yet for **{nickname}**: open **Quiz** (Teaching, in the sidebar) to take a case.",
            icon=":material/info:")
    page_footer()
    st.stop()

scores = [a.score for a in attempts]
m = st.columns(4)
m[0].metric("Attempts", len(attempts))
m[1].metric("Mean score", f"{sum(scores) / len(scores):.0f} / 100", help=SCORING_HELP)
m[2].metric("Latest score", f"{scores[-1]} / 100")
m[3].metric("Unsafe choices", sum(a.unsafe for a in attempts), help="Options offered although not recommended or "
            "contraindicated, over all attempts.")

fig = scores_by_attempt_figure(attempts)
st.plotly_chart(fig, width="stretch", key="chart.progress.scores", alt=fig.layout.meta["alt"])
st.caption(fig.layout.meta["alt"])
fig = topic_accuracy_figure(attempts)
st.plotly_chart(fig, width="stretch", key="chart.progress.topics", alt=fig.layout.meta["alt"])
st.caption(fig.layout.meta["alt"])

st.subheader("Accuracy per topic")
st.dataframe(
    [{"Topic": r.topic, "Attempts": r.attempts, "Options correct": r.correct, "Options judged": r.judged,
      "Accuracy (%)": round(r.percent), "Unsafe choices": r.unsafe} for r in topic_accuracy(attempts)],
    hide_index=True, width="stretch", key="progress.topics_table")

st.subheader("History")
st.dataframe(
    [{"Date (UTC)": a.created_at.strftime("%Y-%m-%d %H:%M") if a.created_at else "", "Case": a.case_id,
      "Topic": a.topic, "Difficulty": a.difficulty, "Profile": a.profile, "Score": a.score, "Correct": a.correct,
      "Missed": a.missed, "Unsafe": a.unsafe, "Unnecessary": a.unnecessary} for a in reversed(attempts)],
    hide_index=True, width="stretch", key="progress.history_table")
st.download_button("Download my history (CSV)", data=store.attempts_csv(attempts), file_name=f"quiz-progress-{nickname}.csv",
                   mime="text/csv", key="progress.csv", icon=":material/download:", on_click="ignore",
                   help="One row per attempt: date and time (UTC), case, topic, difficulty, profile, score and counts.")
page_footer()
