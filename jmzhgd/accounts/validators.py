"""Password rules of the platform beyond Django's (docs/security.md, ASVS 6.1.2 and 6.2.11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# The words anyone guessing a password for this platform tries first (docs/security.md keeps the
# same list). The account's username and its project's code are added per account.
CONTEXT_WORDS = ("江门", "jiangmen", "智慧工地", "jmzhgd", "zhgd")


class ContextWordsValidator:
    """A password may contain the platform's context words, but they do not count: with them taken
    out (any case), at least `min_length` characters must remain. "Jiangmen#2027" is refused; a long
    passphrase that mentions 江门 is not (no composition rules, ASVS 6.2.5)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def words(self, user=None) -> list[str]:
        words = list(CONTEXT_WORDS)
        if user is not None:
            words.append(getattr(user, "username", "") or "")
            project = getattr(user, "project", None)
            words.append(getattr(project, "code", "") or "")
        # Longest first, so that a word containing another (jmzhgd, zhgd) goes whole.
        return sorted({word.casefold() for word in words if word}, key=len, reverse=True)

    def validate(self, password: str, user=None) -> None:
        rest = password.casefold()
        for word in self.words(user):
            rest = rest.replace(word, "")
        if len(rest) < self.min_length:
            raise ValidationError(
                "密码去掉“江门”“智慧工地”“jmzhgd”、用户名、项目编码等容易被猜到的词后，"
                "剩余不足 %(min_length)d 个字符，请换一个更难猜的密码。",
                code="password_context_words",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"“江门”“智慧工地”“jmzhgd”、用户名、项目编码等词不计入长度：去掉它们后仍需至少 {self.min_length} 个字符。"
