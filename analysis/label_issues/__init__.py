"""Label-error candidates: items whose consensus label the texts contradict.

``ranking`` ranks the candidates (:func:`find_label_issues`), ``votes`` counts the
judgements behind each consensus, ``trust`` weighs annotators by their track record.
"""

from analysis.label_issues.ranking import LabelIssues, find_label_issues

__all__ = ["LabelIssues", "find_label_issues"]
