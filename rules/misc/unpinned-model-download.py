import transformers
from datasets import load_dataset
from diffusers import StableDiffusionPipeline as Pipeline
from huggingface_hub import hf_hub_download, snapshot_download
from transformers import AutoModel, AutoTokenizer

PINNED = "3f1c0e6a4b2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f"


def bad_no_revision():
    # ruleid: unpinned-model-download
    return AutoModel.from_pretrained("org/sentiment-model")


def bad_branch_revision():
    # ruleid: unpinned-model-download
    return AutoTokenizer.from_pretrained("org/sentiment-model", revision="main")


def bad_tag_revision():
    # ruleid: unpinned-model-download
    return transformers.AutoModelForCausalLM.from_pretrained("org/llm", revision="v1.0")


def bad_alias():
    # ruleid: unpinned-model-download
    return Pipeline.from_pretrained(
        "org/diffusion",
        revision="refs/pr/1",
    )


def bad_hub_download():
    # ruleid: unpinned-model-download
    return hf_hub_download("org/weights", "model.safetensors")


def bad_snapshot():
    # ruleid: unpinned-model-download
    return snapshot_download(repo_id="org/weights")


def bad_dataset():
    # ruleid: unpinned-model-download
    return load_dataset("org/reviews", split="train")


def bad_function_import():
    from transformers import AutoModelForSequenceClassification as Classifier

    # ruleid: unpinned-model-download
    return Classifier.from_pretrained("org/classifier")


def ok_pinned():
    # ok: unpinned-model-download
    a = AutoModel.from_pretrained("org/sentiment-model", revision="3f1c0e6a4b2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f")
    # ok: unpinned-model-download
    b = hf_hub_download("org/weights", "model.safetensors", revision=PINNED)
    # ok: unpinned-model-download
    c = load_dataset("org/reviews", revision=PINNED)
    return a, b, c


def ok_local_paths():
    # ok: unpinned-model-download
    a = AutoModel.from_pretrained("./checkpoints/best")
    # ok: unpinned-model-download
    b = AutoModel.from_pretrained("/models/sentiment")
    # ok: unpinned-model-download
    c = AutoModel.from_pretrained("org/model", local_files_only=True)
    return a, b, c


def ok_local_dataset_builders():
    # ok: unpinned-model-download
    a = load_dataset("csv", data_files="train.csv")
    # ok: unpinned-model-download
    b = load_dataset("imagefolder", data_dir="images/")
    return a, b


def ok_configured_revision(settings):
    # ok: unpinned-model-download
    return AutoModel.from_pretrained("org/sentiment-model", revision=settings.MODEL_REVISION)


class Loader:
    def __init__(self, model_class):
        self.model_class = model_class

    def load(self):
        # ruleid: unpinned-model-download
        return self.model_class.from_pretrained("org/model")


def ok_other_from_pretrained(registry):
    # ok: unpinned-model-download
    return registry.from_pretrained("org/model")
