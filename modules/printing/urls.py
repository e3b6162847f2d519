from django.urls import path

from modules.printing import views

app_name = "printing"
urlpatterns = [
    path("<str:doc_type>/<int:pk>.pdf", views.document_pdf, name="pdf"),
]
