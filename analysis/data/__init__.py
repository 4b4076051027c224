"""Core data types of the engine: everything else imports these, they import nothing above them.

``schema`` (canonical columns), ``levels`` (level of measurement), ``judgements`` (task types
and the multi-label and span judgements), ``reliability`` (label codes per item and
annotator), ``votes`` (vote counts), ``pair_sample`` (pairs of annotators on shared items),
``kinds`` (which annotators are models), ``load_report`` (what a load kept, dropped and
changed), ``loaded`` (what a loader returns: ``LoadResult``, ``TaskLoad``) and ``dataset``
(the one input of every analysis).
"""
