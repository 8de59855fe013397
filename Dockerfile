FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=false \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 steady

COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings, and settings need a key; this one is thrown away with the build step.
RUN SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only-key \
    python manage.py collectstatic --noinput \
 && mkdir -p var && chown -R steady:steady var

USER steady
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
