"""Reading GAPS.txt: which entries are open, what code they quote, and how an entry meets a failure."""

from __future__ import annotations

from evalanalysis import evidence


def test_closed_entries_are_not_open():
    entries = evidence.parse_gaps(
        "x, y:\n\n- (resolved) The lint rule was removed.\n- covered by guideline: use `pathPrefix`.\n"
        "- None for now\n- It doesn't do prefix path matching correctly.\n"
    )
    assert [evidence.is_open(e) for e in entries] == [False, False, False, True]


def test_code_quotes_keep_code_and_phrases_but_not_plain_words_or_file_names():
    entry = 'It puts it in `items` and `helpers` instead of `index.ts`; wants `path: "/api/*"`, "use node", `@types/node`'
    assert sorted(evidence.code_quotes(entry)) == sorted(['path: "/api/*"', "use node", "@types/node"])
    assert evidence.code_quotes("OpenAI is failing a lint: @typescript-eslint/no-misused-promises") == [
        "@typescript-eslint/no-misused-promises"
    ]


def test_words_meet_across_inflections_and_need_two_in_common():
    gap = ["Isn't installing @types/node to access process.env"]
    assert evidence.match_gaps(gap, "Do you need to install type definitions for node? Try `npm i --save-dev @types/node`.")
    assert not evidence.match_gaps(["Pagination is not working at all."], "PaginationResult<...> is not assignable; pagination")


def test_a_quote_the_task_uses_counts_in_the_models_code_but_not_in_an_error_message():
    gap = ["Neither knows what to do with the `usePaginatedQuery` hook."]
    task = "It should use the `usePaginatedQuery` hook."
    assert not evidence.match_gaps(gap, "usePaginatedQuery failed", task=task)
    assert evidence.match_gaps(gap, "TS2554", code_text="const r = usePaginatedQuery(api.items.list, {});", task=task)


def test_quote_text_is_searched_for_quotes_only():
    gap = ["I'm currently telling it to use internal functions for the action & mutation."]
    changed = "export const update = mutation({\nimport { api, internal } from './_generated/api';"
    assert not evidence.match_gaps(gap, "AssertionError: expected 'pending' to be 'completed'", quote_text=changed)


def test_negated_auxiliaries_are_not_content_words():
    assert evidence.significant_words("It doesn't know; the model's code didn't install and can't deploy") == {
        "know", "code", "install", "deploy"
    }
