//! postcheck's web app.
