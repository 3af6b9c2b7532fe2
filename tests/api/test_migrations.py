import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_match_migrations():
    output = io.StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output)
    except SystemExit as exit:
        pytest.fail(f"models changed without a migration (exit {exit.code}):\n{output.getvalue()}")
