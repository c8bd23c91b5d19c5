"""The HTTP service (`policylog serve`): the FastAPI app and its limits (app), the JSON routes
(routes), the applicant's page (pages, templates/, static/), and the evaluation worker processes
(pool, worker, jobs): the server never evaluates in its own process.
"""
