"""Give the role groups of shops that exist already this app's permissions, as identity.roles grants them."""

from django.db import migrations

from modules.identity.grants import app_permissions_grant


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(app_permissions_grant("pricing"), migrations.RunPython.noop)]
