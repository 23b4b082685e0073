"""SQLite storage: typed models, migrations, op application and queries. Only package using SQLAlchemy."""
