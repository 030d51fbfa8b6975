"""Plain lists of what the components read of each token, built once per Doc."""

from __future__ import annotations

from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, LIKE_NUM, LOWER, ORTH, SPACY
from spacy.tokens import Doc

for _name in ("mc_numbers", "mc_claims", "mc_sentences", "mc_calculations", "mc_chips",
              "mc_marks", "mc_paragraphs", "mc_expressions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TokenView:
    """Plain lists of what the components read of each token, built once per Doc.

    Iterating a Doc creates a Token object per token; for the whole database that is
    most of the run time.  doc.to_array reads the attributes in C.
    """

    __slots__ = ("text", "lower", "idx", "space", "is_space", "is_alpha", "like_num",
                 "doc_text", "n")

    def __init__(self, doc: Doc):
        orth, lower, idx, space, is_space, is_alpha, like_num = (
            doc.to_array([ORTH, LOWER, IDX, SPACY, IS_SPACE, IS_ALPHA, LIKE_NUM]).T.tolist())
        get = doc.vocab.strings.__getitem__
        self.text = list(map(get, orth))
        self.lower = list(map(get, lower))
        self.idx = idx
        self.space = space          # 0/1 ints: truthy as flags
        self.is_space = is_space
        self.is_alpha = is_alpha
        self.like_num = like_num    # mclint's LIKE_NUM (install_like_num)
        # Doc.text would make a Token object per token; the tokens and their trailing
        # spaces give the same string.
        self.doc_text = "".join([t + " " if sp else t for t, sp in zip(self.text, self.space)])
        self.n = len(idx)

    def end_char(self, i: int) -> int:
        """Character offset just after token i."""
        return self.idx[i] + len(self.text[i])


def view(doc: Doc) -> TokenView:
    """The Doc's token view (built on first use)."""
    v = doc.user_data.get("mc_view")
    if v is None:
        v = doc.user_data["mc_view"] = TokenView(doc)
    return v
