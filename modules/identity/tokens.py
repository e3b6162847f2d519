"""Password reset tokens bound to the shop: a link made in one tenant's schema never validates in another's."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection


class TenantPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "modules.identity.tokens.TenantPasswordResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # User ids repeat across schemas (each has its own sequence); the schema name tells them apart.
        return f"{connection.schema_name}:{super()._make_hash_value(user, timestamp)}"


password_reset_token_generator = TenantPasswordResetTokenGenerator()
